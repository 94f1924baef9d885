/**
 * Every audit entry a process may append is declared by the folder that appends it, by
 * declaration merging into `AuditEntries` (`src/audit/audit-entry.ts`). The files that only
 * declare are named here, so each process's program holds them all and the composition root
 * shows where the entries come from. (The features' events files declare theirs too, and are
 * imported by `subscribers.ts`.)
 */
import type {} from '../accounts/domain/audit-entries.js';
import type {} from '../calendar/domain/audit-entries.js';
import type {} from '../identity/domain/audit-entries.js';
import type {} from '../integrations/domain/audit-entries.js';
import type {} from '../notifications/domain/audit-entries.js';
import type {} from '../playbooks/domain/audit-entries.js';
import type {} from '../scheduler/domain/audit-entries.js';

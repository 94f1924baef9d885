import type { Insertable, Selectable } from 'kysely';
import { appendAudit } from '../../audit/append-audit.js';
import type {
  AuditAction,
  AuditAfter,
  AuditBefore,
  AuditEntries,
  AuditEntry,
} from '../../audit/audit-entry.js';
import type { Principal } from '../../identity/domain/roles.js';
import { deleteRowsById, insertRows } from '../../kernel/batch-writes.js';
import type { Tx } from '../../kernel/context.js';
import { dialectOf, lockRowsForWrite } from '../../kernel/db/dialect.js';
import type { ContactsTable, PromisesTable, ScopeItemsTable } from '../../kernel/db/schema.js';
import { newId } from '../../kernel/ids.js';
import { preparedQuery } from '../../kernel/prepared-query.js';
import type { FieldDef, Packet, TransitionDef } from '../../playbooks/domain/playbook.js';

interface Input {
  handoffId: string;
  engagementId: string;
  transition: TransitionDef;
  packet: Packet;
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

const LADDER_COLUMNS = {
  'success.goal': 'goal',
  'success.metric': 'metric',
  'success.ultimate_objective': 'ultimate_objective',
  'success.earliest_signal': 'earliest_signal',
  'success.minimum_outcome': 'minimum_outcome',
  'success.early_win': 'early_win',
} as const;

// The reads and the lock of a reconciliation: the same shapes on every submit.
const lockAccount = preparedQuery((db, v: { orgId: string; engagementId: string }) =>
  lockRowsForWrite(
    dialectOf(db),
    db
      .selectFrom('accounts')
      .select('id')
      .where('org_id', '=', v.orgId)
      .where('id', '=', (eb) =>
        eb.selectFrom('engagements').select('account_id').where('id', '=', v.engagementId),
      ),
  ),
);
const promisesOf = preparedQuery((db, v: { orgId: string; handoffId: string }) =>
  db.selectFrom('promises').selectAll().where('org_id', '=', v.orgId).where('handoff_id', '=', v.handoffId),
);
// Both kinds, in and out: the index on (org, handoff, kind) answers each kind in insertion order.
const scopeItemsOf = preparedQuery((db, v: { orgId: string; handoffId: string }) =>
  db
    .selectFrom('scope_items')
    .selectAll()
    .where('org_id', '=', v.orgId)
    .where('handoff_id', '=', v.handoffId),
);
const contactsOf = preparedQuery((db, v: { orgId: string; accountId: string }) =>
  db.selectFrom('contacts').selectAll().where('org_id', '=', v.orgId).where('account_id', '=', v.accountId),
);
const ladderOf = preparedQuery((db, v: { orgId: string; engagementId: string }) =>
  db
    .selectFrom('success_ladders')
    .selectAll()
    .where('org_id', '=', v.orgId)
    .where('engagement_id', '=', v.engagementId),
);

/**
 * Makes the engagement's records say what the submitted packet says, for every field the
 * playbook maps to a record: promises, scope in and out, named contacts, the success ladder.
 * Records this handoff created and the packet no longer lists are removed while untouched
 * (a promise still open); records changed since (kept, broken…) stay. New records of a kind are
 * written together, in one multi-row insert, as are removals.
 */
export async function reconcileSubstance(
  trx: Tx,
  principal: Principal,
  at: Date,
  input: Input,
): Promise<void> {
  const now = at.toISOString();
  const actor = { type: 'user' as const, id: principal.userId };
  const audit = <A extends AuditAction>(
    action: A,
    entityType: AuditEntries[A]['entityType'],
    entityId: string,
    before: AuditBefore<A> | null,
    after: AuditAfter<A> | null,
  ) =>
    appendAudit(trx, principal.orgId, actor, at, {
      action,
      entityType,
      entityId,
      handoffId: input.handoffId,
      engagementId: input.engagementId,
      before,
      after,
    } as AuditEntry);
  const mapped: { field: FieldDef; value: unknown }[] = [];
  for (const section of input.transition.sections) {
    for (const field of section.fields) {
      if (field.mapsTo) mapped.push({ field, value: input.packet[section.key]?.[field.key] });
    }
  }
  if (mapped.length === 0) return;

  // Reconciling reads, then inserts (the ladder is one per engagement, contacts are matched by
  // name and e-mail on the account): two submits at once for the same account must take turns.
  // The account's row lock is taken on PostgreSQL (SQLite writes are serial anyway); the select
  // names the account, whose contacts are matched below.
  const account = await lockAccount.first(trx, { orgId: principal.orgId, engagementId: input.engagementId });

  // Promises
  const promiseFields = mapped.filter((m) => m.field.mapsTo === 'promises');
  if (promiseFields.length) {
    const wanted = promiseFields.flatMap((m) => (Array.isArray(m.value) ? m.value : [])) as {
      text?: string;
      made_by?: string;
      in_contract?: boolean;
    }[];
    const existing = await promisesOf.rows(trx, { orgId: principal.orgId, handoffId: input.handoffId });
    const seen = new Set<string>();
    const added: Insertable<PromisesTable>[] = [];
    for (const p of wanted) {
      if (typeof p.text !== 'string' || !p.text.trim()) continue;
      const key = norm(p.text);
      if (seen.has(key)) continue;
      seen.add(key);
      const madeBy = (p.made_by ?? '').trim() || 'unknown';
      const inContract = p.in_contract === true ? 1 : 0;
      const found = existing.find((e) => norm(e.text) === key);
      if (!found) {
        const row = {
          id: newId(),
          org_id: principal.orgId,
          engagement_id: input.engagementId,
          handoff_id: input.handoffId,
          text: p.text.trim(),
          made_by: madeBy,
          in_contract: inContract,
          status: 'open',
          status_note: null,
          created_at: now,
          updated_at: now,
        };
        added.push(row);
        await audit('promise.recorded', 'promise', row.id, null, {
          text: row.text,
          made_by: madeBy,
          in_contract: !!inContract,
        });
      } else if (found.made_by !== madeBy || Number(found.in_contract) !== inContract) {
        await trx
          .updateTable('promises')
          .set({ made_by: madeBy, in_contract: inContract, updated_at: now })
          .where('id', '=', found.id)
          .execute();
        await audit(
          'promise.updated',
          'promise',
          found.id,
          { made_by: found.made_by, in_contract: !!found.in_contract },
          { made_by: madeBy, in_contract: !!inContract },
        );
      }
    }
    const removed = existing.filter((e) => !seen.has(norm(e.text)) && e.status === 'open');
    for (const e of removed) await audit('promise.removed', 'promise', e.id, { text: e.text }, null);
    await insertRows(trx, 'promises', added);
    await deleteRowsById(
      trx,
      'promises',
      removed.map((e) => e.id),
    );
  }

  // Scope in / out
  const scopeKinds = (['in', 'out'] as const).filter((kind) =>
    mapped.some((m) => m.field.mapsTo === `scope_${kind}`),
  );
  const scopeItems = scopeKinds.length
    ? await scopeItemsOf.rows(trx, { orgId: principal.orgId, handoffId: input.handoffId })
    : [];
  const addedScope: Insertable<ScopeItemsTable>[] = [];
  const removedScope: string[] = [];
  for (const kind of scopeKinds) {
    const fields = mapped.filter((m) => m.field.mapsTo === `scope_${kind}`);
    const wanted = fields
      .flatMap((m) => (Array.isArray(m.value) ? m.value : []))
      .map((v) =>
        typeof v === 'string'
          ? v
          : typeof v === 'object' && v
            ? (v as { description?: string }).description
            : undefined,
      )
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    const existing = scopeItems.filter((e) => e.kind === kind);
    const seen = new Set<string>();
    for (const description of wanted) {
      const key = norm(description);
      if (seen.has(key)) continue;
      seen.add(key);
      if (existing.some((e) => norm(e.description) === key)) continue;
      const row = {
        id: newId(),
        org_id: principal.orgId,
        engagement_id: input.engagementId,
        handoff_id: input.handoffId,
        kind,
        description: description.trim(),
        created_at: now,
        updated_at: now,
      };
      addedScope.push(row);
      await audit('scope_item.recorded', 'scope_item', row.id, null, { kind, description: row.description });
    }
    for (const e of existing) {
      if (!seen.has(norm(e.description))) {
        removedScope.push(e.id);
        await audit('scope_item.removed', 'scope_item', e.id, { kind, description: e.description }, null);
      }
    }
  }

  await insertRows(trx, 'scope_items', addedScope);
  await deleteRowsById(trx, 'scope_items', removedScope);

  // Named contacts
  const contactFields = mapped.filter((m) => m.field.mapsTo === 'contacts');
  if (contactFields.length) {
    const accountId =
      account?.id ??
      (
        await trx
          .selectFrom('engagements')
          .select('account_id')
          .where('org_id', '=', principal.orgId)
          .where('id', '=', input.engagementId)
          .executeTakeFirstOrThrow()
      ).account_id;
    const people = contactFields.flatMap((m) =>
      (Array.isArray(m.value) ? m.value : m.value ? [m.value] : []).map((v) => ({
        value: v as { name?: string; role?: string; email?: string; phone?: string; contact_id?: string },
        role: m.field.contactRole ?? 'other',
      })),
    );
    const contacts: Selectable<ContactsTable>[] = await contactsOf.rows(trx, {
      orgId: principal.orgId,
      accountId,
    });
    const added = new Set<Insertable<ContactsTable>>();
    for (const { value, role } of people) {
      if (!value?.name?.trim()) continue;
      const email = value.email?.trim().toLowerCase() || null;
      const found =
        contacts.find((c) => value.contact_id && c.id === value.contact_id) ??
        contacts.find((c) => email && c.email?.toLowerCase() === email) ??
        contacts.find((c) => norm(c.name) === norm(value.name!));
      if (!found) {
        const row = {
          id: newId(),
          org_id: principal.orgId,
          account_id: accountId,
          name: value.name.trim(),
          email,
          phone: value.phone?.trim() || null,
          title: value.role?.trim() || null,
          role,
          external_ids: '{}',
          created_at: now,
          updated_at: now,
        };
        contacts.push(row);
        added.add(row);
        await audit('contact.created', 'contact', row.id, null, { name: row.name, role, title: row.title });
      } else if (found.role !== role && found.role === 'other') {
        // A contact added above is still to be written: it is written with its new role.
        if (!added.has(found))
          await trx
            .updateTable('contacts')
            .set({ role, updated_at: now })
            .where('id', '=', found.id)
            .execute();
        await audit('contact.updated', 'contact', found.id, { role: found.role }, { role });
        found.role = role;
      }
    }
    await insertRows(trx, 'contacts', [...added]);
  }

  // Success ladder
  const ladder: Partial<Record<(typeof LADDER_COLUMNS)[keyof typeof LADDER_COLUMNS], string>> = {};
  for (const m of mapped) {
    const column = LADDER_COLUMNS[m.field.mapsTo as keyof typeof LADDER_COLUMNS];
    if (column && typeof m.value === 'string' && m.value.trim()) ladder[column] = m.value.trim();
  }
  if (Object.keys(ladder).length) {
    const existing = await ladderOf.first(trx, { orgId: principal.orgId, engagementId: input.engagementId });
    if (!existing) {
      const row = {
        id: newId(),
        org_id: principal.orgId,
        engagement_id: input.engagementId,
        handoff_id: input.handoffId,
        goal: null,
        metric: null,
        ultimate_objective: null,
        earliest_signal: null,
        minimum_outcome: null,
        early_win: null,
        ...ladder,
        updated_at: now,
      };
      await insertRows(trx, 'success_ladders', [row]);
      await audit('success_ladder.recorded', 'success_ladder', row.id, null, ladder);
    } else {
      const changed = Object.fromEntries(
        Object.entries(ladder).filter(([k, v]) => existing[k as keyof typeof existing] !== v),
      );
      if (Object.keys(changed).length) {
        await trx
          .updateTable('success_ladders')
          .set({ ...changed, handoff_id: input.handoffId, updated_at: now })
          .where('id', '=', existing.id)
          .execute();
        const before = Object.fromEntries(
          Object.keys(changed).map((k) => [k, existing[k as keyof typeof existing]]),
        );
        await audit('success_ladder.updated', 'success_ladder', existing.id, before, changed);
      }
    }
  }
}

import type { TokenScope } from '../../src/identity/domain/scopes.js';
import type { TransitionDef } from '../../src/playbooks/domain/playbook.js';

export type { FieldDef, Playbook, SectionDef, TransitionDef } from '../../src/playbooks/domain/playbook.js';

export type HandoffState =
  | 'draft'
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'withdrawn'
  | 'in_delivery'
  | 'closed';

export interface TeamRef {
  id: string;
  key: string;
  name: string;
}

export interface Handoff {
  id: string;
  engagement_id: string;
  playbook: { id: string; key: string; version: number };
  transition: string;
  title: string;
  state: HandoffState;
  sending_team: TeamRef;
  receiving_team: TeamRef;
  assignee_id: string | null;
  packet: Record<string, Record<string, unknown>>;
  revision: number;
  decision: {
    outcome: 'accepted' | 'rejected';
    reason_code: string | null;
    reason_label: string | null;
    explanation: string | null;
    by: string;
    at: string;
  } | null;
  open_questions: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  version: number;
}

export interface Question {
  id: string;
  handoff_id: string;
  path: string | null;
  body: string;
  revision: number;
  state: 'open' | 'answered';
  asked_by: string;
  asked_at: string;
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
}

export interface Session {
  user: { id: string; email: string; name: string; role: string; teams: string[] };
  organisation: { id: string; slug: string; name: string; time_zone: string };
  csrf_token: string;
  expires_at: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  teams: string[];
  disabled: boolean;
  created_at: string;
}

export interface Team {
  id: string;
  key: string;
  name: string;
  members: number;
}

export interface Token {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  scopes: TokenScope[];
}

export type { PlaybookSummary } from '../../src/playbooks/use-cases/list-playbooks.js';

export interface PlaybookDetail {
  id: string;
  builtin: boolean;
  definition: {
    key: string;
    version: number;
    name: string;
    description?: string;
    transitions: TransitionDef[];
  };
}

export interface Engagement {
  id: string;
  account_id: string;
  name: string;
  stage: string | null;
  owner_id: string | null;
  contract_signed_at: string | null;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: { type: string; id: string | null };
  action: string;
  entity: { type: string; id: string };
  before: unknown;
  after: unknown;
}

export interface Promise_ {
  id: string;
  text: string;
  made_by: string;
  in_contract: boolean;
  status: 'open' | 'kept' | 'broken' | 'renegotiated';
  status_note: string | null;
  handoff_id: string | null;
}

export interface ScopeItem {
  id: string;
  kind: 'in' | 'out';
  description: string;
  handoff_id: string | null;
}

export interface Contact {
  id: string;
  account_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  role: string;
}

export interface Ladder {
  goal: string | null;
  metric: string | null;
  ultimate_objective: string | null;
  earliest_signal: string | null;
  minimum_outcome: string | null;
  early_win: string | null;
  updated_at: string | null;
}

export interface Page<T> {
  items: T[];
  total?: number;
}

/**
 * The database as Kysely sees it. Ids are UUID text, instants ISO-8601 UTC text, JSON text,
 * booleans 0/1: one shape for SQLite and PostgreSQL.
 */
export interface OrganisationsTable {
  id: string;
  slug: string;
  name: string;
  time_zone: string;
  audit_seq: number;
  audit_head: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface TeamsTable {
  id: string;
  org_id: string;
  key: string;
  name: string;
  created_at: string;
}

export interface TeamMembersTable {
  org_id: string;
  team_id: string;
  user_id: string;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface PlaybooksTable {
  id: string;
  org_id: string;
  key: string;
  version: number;
  name: string;
  source: string;
  definition: string;
  checksum: string;
  builtin: number;
  created_by: string | null;
  created_at: string;
}

export interface AccountsTable {
  id: string;
  org_id: string;
  name: string;
  external_ids: string;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: string;
  org_id: string;
  account_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  role: string;
  created_at: string;
  updated_at: string;
}

export interface EngagementsTable {
  id: string;
  org_id: string;
  account_id: string;
  name: string;
  stage: string | null;
  owner_user_id: string | null;
  external_ids: string;
  contract_signed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface HandoffsTable {
  id: string;
  org_id: string;
  engagement_id: string;
  playbook_id: string;
  playbook_key: string;
  playbook_version: number;
  transition_key: string;
  title: string;
  sending_team_id: string;
  receiving_team_id: string;
  assignee_user_id: string | null;
  state: string;
  packet: string;
  revision: number;
  decision: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  version: number;
}

export interface HandoffRevisionsTable {
  id: string;
  org_id: string;
  handoff_id: string;
  number: number;
  packet: string;
  submitted_by: string;
  submitted_at: string;
}

export interface QuestionsTable {
  id: string;
  org_id: string;
  handoff_id: string;
  path: string | null;
  body: string;
  revision: number;
  asked_by: string;
  asked_at: string;
  state: string;
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
}

export interface PromisesTable {
  id: string;
  org_id: string;
  engagement_id: string;
  handoff_id: string | null;
  text: string;
  made_by: string;
  in_contract: number;
  status: string;
  status_note: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScopeItemsTable {
  id: string;
  org_id: string;
  engagement_id: string;
  handoff_id: string | null;
  kind: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface SuccessLaddersTable {
  id: string;
  org_id: string;
  engagement_id: string;
  handoff_id: string | null;
  goal: string | null;
  metric: string | null;
  ultimate_objective: string | null;
  earliest_signal: string | null;
  minimum_outcome: string | null;
  early_win: string | null;
  updated_at: string;
}

export interface AuditLogTable {
  id: string;
  org_id: string;
  seq: number;
  at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  handoff_id: string | null;
  engagement_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  api_tokens: ApiTokensTable;
  playbooks: PlaybooksTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  engagements: EngagementsTable;
  handoffs: HandoffsTable;
  handoff_revisions: HandoffRevisionsTable;
  questions: QuestionsTable;
  promises: PromisesTable;
  scope_items: ScopeItemsTable;
  success_ladders: SuccessLaddersTable;
  audit_log: AuditLogTable;
}

import type { Generated } from 'kysely';

/**
 * The database as Kysely sees it. Ids are UUID text, instants ISO-8601 UTC text, JSON text,
 * booleans 0/1: one shape for SQLite and PostgreSQL.
 */
export interface OrganisationsTable {
  id: string;
  slug: string;
  name: string;
  time_zone: string;
  /** BCP 47 locale the screens format and parse money, dates and numbers in, e.g. `en-GB`. */
  locale: Generated<string>;
  /** ISO 4217 code a money field starts with, e.g. `EUR`. */
  currency: Generated<string>;
  audit_seq: number;
  audit_head: string;
  /** The audit Merkle tree's compact range (JSON `{ size, roots }`); null until first sealed. */
  audit_frontier: string | null;
  /** How many audit entries the latest signed and published head covers. */
  audit_signed_seq: Generated<number>;
  audit_signed_at: string | null;
  /** The latest signed head (a signed note). */
  audit_signed_note: string | null;
  created_at: string;
  /** `#rrggbb` the client portal is drawn in (migration 0023); null: Baton's own. */
  brand_color: string | null;
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
  /** The token's scopes, space-separated (see `src/kernel/principal.ts`). */
  scopes: string;
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
  /** JSON map of system name to id, like an account's. */
  external_ids: string;
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
  /** The service lead introduced to the client, and when the team recorded it (migration 0022). */
  service_lead_user_id: string | null;
  service_lead_introduced_at: string | null;
  /** When the closeout checklist was met and the engagement closed out, and by whom (migration 0022). */
  closed_out_at: string | null;
  closed_out_by: string | null;
}

/** One id of an account, contact or engagement in another system (migration 0008-external-ids). */
export interface RecordExternalIdsTable {
  org_id: string;
  record_type: 'account' | 'contact' | 'engagement';
  record_id: string;
  /** The system's lower-case name, e.g. `salesforce`. */
  system: string;
  external_id: string;
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
  /** The revision a member of the receiving team first opened after its submission, when and who. */
  opened_revision: number | null;
  opened_at: string | null;
  opened_by: string | null;
}

export interface HandoffRevisionsTable {
  id: string;
  org_id: string;
  handoff_id: string;
  number: number;
  packet: string;
  submitted_by: string;
  submitted_at: string;
  /** The question whose answer corrected a field, making this revision; null when submitted. */
  answering_question_id: string | null;
}

export interface RevisionViewsTable {
  org_id: string;
  handoff_id: string;
  user_id: string;
  revision: number;
  seen_at: string;
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
  /** The revision the answer made by correcting the field asked about; null when it changed nothing. */
  amended_revision: number | null;
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
  /** 1 when made from a submitted packet (submitting reconciles it), 0 when recorded by hand. */
  from_packet: number;
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
  /** 1 when made from a submitted packet (submitting reconciles it), 0 when recorded by hand. */
  from_packet: number;
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

/** A sealed audit entry: a pending one with its place in the chain. */
export interface AuditLogTable extends AuditPendingTable {
  seq: number;
  prev_hash: string;
  hash: string;
  /** When the sealer chained it (null for entries chained before sealing existed). */
  sealed_at: string | null;
}

/** An audit entry appended by a transaction and not yet sealed into the chain. */
export interface AuditPendingTable {
  id: string;
  org_id: string;
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
}

export interface SessionsTable {
  id: string;
  org_id: string;
  user_id: string;
  /** SHA-256 of the session id; the id itself lives only in the browser's cookie. */
  token_hash: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  user_agent: string | null;
}

/** A password attempt, counted by the attempt limiter until its window passes (migration 0005). */
export interface AuthAttemptsTable {
  id: string;
  /** What was attempted: `email:<address>` (a sign-in) or `user:<id>` (a current password). */
  subject: string;
  /** The client's network address. */
  client: string;
  at: string;
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
  record_external_ids: RecordExternalIdsTable;
  handoffs: HandoffsTable;
  handoff_revisions: HandoffRevisionsTable;
  revision_views: RevisionViewsTable;
  questions: QuestionsTable;
  promises: PromisesTable;
  scope_items: ScopeItemsTable;
  success_ladders: SuccessLaddersTable;
  audit_log: AuditLogTable;
  audit_pending: AuditPendingTable;
  sessions: SessionsTable;
  auth_attempts: AuthAttemptsTable;
  business_calendars: BusinessCalendarsTable;
  notification_settings: NotificationSettingsTable;
  milestones: MilestonesTable;
  checkpoints: CheckpointsTable;
  clock_events: ClockEventsTable;
  rescopes: RescopesTable;
  scheduled_jobs: ScheduledJobsTable;
  notification_preferences: NotificationPreferencesTable;
  notifications: NotificationsTable;
  portal_links: PortalLinksTable;
  portal_confirmations: PortalConfirmationsTable;
  closeout_signoffs: CloseoutSignoffsTable;
  survey_responses: SurveyResponsesTable;
  blobs: BlobsTable;
  blob_chunks: BlobChunksTable;
  engagement_files: EngagementFilesTable;
  engagement_file_versions: EngagementFileVersionsTable;
  inventory_items: InventoryItemsTable;
  warranties: WarrantiesTable;
  punch_items: PunchItemsTable;
  training_records: TrainingRecordsTable;
  closeout_debriefs: CloseoutDebriefsTable;
  integration_sources: IntegrationSourcesTable;
  inbound_events: InboundEventsTable;
  engagement_milestones: EngagementMilestonesTable;
  signals: SignalsTable;
  signal_settings: SignalSettingsTable;
  quiet_alerts: QuietAlertsTable;
  health_settings: HealthSettingsTable;
  health_scores: HealthScoresTable;
  change_orders: ChangeOrdersTable;
  handoff_facts: HandoffFactsTable;
  handoff_rejection_facts: HandoffRejectionFactsTable;
  checkpoint_facts: CheckpointFactsTable;
  review_gap_facts: ReviewGapFactsTable;
  promise_facts: PromiseFactsTable;
  survey_facts: SurveyFactsTable;
  revenue_records: RevenueRecordsTable;
  handoff_rollups: HandoffRollupsTable;
  draft_rollups: DraftRollupsTable;
  rejection_rollups: RejectionRollupsTable;
  checkpoint_rollups: CheckpointRollupsTable;
  review_gap_rollups: ReviewGapRollupsTable;
  promise_rollups: PromiseRollupsTable;
  cycle_rollups: CycleRollupsTable;
  survey_rollups: SurveyRollupsTable;
  metric_rollup_marks: MetricRollupMarksTable;
}

// C4: checkpoints, SLA clocks and the scheduler (migration 0003-checkpoints).

export interface BusinessCalendarsTable {
  org_id: string;
  /** JSON list of ISO weekdays (1 = Monday). */
  working_days: string;
  day_start: string;
  day_end: string;
  /** JSON list of `{ date, name? }`. */
  holidays: string;
  updated_at: string;
}

export interface NotificationSettingsTable {
  org_id: string;
  chat_webhook_url: string | null;
  updated_at: string;
}

export interface MilestonesTable {
  id: string;
  org_id: string;
  handoff_id: string;
  key: string;
  at: string;
  recorded_by: string | null;
  recorded_at: string;
}

export interface CheckpointsTable {
  id: string;
  org_id: string;
  handoff_id: string;
  engagement_id: string;
  def_key: string;
  name: string;
  kind: string;
  state: string;
  due_expr: string;
  anchor_at: string;
  due_at: string;
  /** When its window opens: it cannot be completed earlier (null on rows from before 0006: at creation). */
  opens_at: string | null;
  owner_team_id: string;
  owner_user_id: string | null;
  /** JSON: the playbook checkpoint with its defaults (CheckpointSettings), as of creation. */
  settings: string;
  overdue_at: string | null;
  escalated_at: string | null;
  paused_at: string | null;
  remaining_minutes: number | null;
  scheduled_start: string | null;
  scheduled_end: string | null;
  invitees: string | null;
  outcome: string | null;
  waive_reason: string | null;
  completed_at: string | null;
  completed_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ClockEventsTable {
  id: string;
  org_id: string;
  checkpoint_id: string;
  kind: string;
  at: string;
  by_user_id: string | null;
  reason: string | null;
  due_before: string | null;
  due_after: string | null;
  remaining_minutes: number | null;
}

export interface RescopesTable {
  id: string;
  org_id: string;
  engagement_id: string;
  handoff_id: string;
  checkpoint_id: string;
  changes: string;
  /** `open` or `resolved`. */
  status: string;
  created_by: string | null;
  created_at: string;
  /** `price`, `crew`, `date` or `nothing_changed`, once resolved. */
  resolution_outcome: string | null;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

export interface ScheduledJobsTable {
  id: string;
  org_id: string | null;
  kind: string;
  /** The version of the kind's definition that wrote the payload (migration 0012; 1 when not given). */
  version: Generated<number>;
  dedupe_key: string;
  payload: string;
  status: string;
  available_at: string;
  attempts: number;
  lease_owner: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

// Who hears about what (migration 0007-notifications).

export interface NotificationPreferencesTable {
  user_id: string;
  org_id: string;
  /** JSON list of the notice kinds the user does not want by e-mail (every other one is sent). */
  email_off: string;
  /** 1 when chat messages may name the user. */
  chat_mention: number;
  updated_at: string;
}

// The notification centre (migration 0016-notification-centre).

export interface NotificationsTable {
  id: string;
  org_id: string;
  /** Whose list the notice is in. */
  user_id: string;
  kind: string;
  subject: string;
  text: string;
  /** A page of the web UI the notice is about (`/handoffs/…`), or null. */
  link: string | null;
  /** The notice's event key: one row per user and key. */
  event_key: string;
  created_at: string;
  /** When the user marked it read; null while unread. */
  read_at: string | null;
}

/** A magic link of the client portal (migration 0023): kept only as the SHA-256 of its token. */
export interface PortalLinksTable {
  id: string;
  org_id: string;
  engagement_id: string;
  contact_id: string;
  /** `confirm` | `signoff` | `survey`. */
  purpose: string;
  token_sha256: string;
  single_use: number;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  opened_at: string | null;
}

/** What a client confirmed of the goal, metric and scope, or said differs. */
export interface PortalConfirmationsTable {
  id: string;
  org_id: string;
  engagement_id: string;
  link_id: string;
  contact_id: string;
  /** JSON `[{ about, text, question_id }]`. */
  differences: string;
  shown_sha256: string;
  confirmed_at: string;
}

/** A client's sign-off of the closeout package: immutable (a trigger refuses UPDATE and DELETE). */
export interface CloseoutSignoffsTable {
  id: string;
  org_id: string;
  engagement_id: string;
  link_id: string;
  contact_id: string;
  signer_name: string;
  signed_at: string;
  package_json: string;
  package_sha256: string;
}

/** A client's answer to the closeout survey. */
export interface SurveyResponsesTable {
  id: string;
  org_id: string;
  engagement_id: string;
  link_id: string;
  contact_id: string;
  csat: number;
  nps: number;
  comment: string | null;
  answered_at: string;
}

// Files (migration 0019-files; docs/design-closeout.md).

/** A blob an organisation holds (its bytes are in the configured storage, by address). */
export interface BlobsTable {
  org_id: string;
  sha256: string;
  size: number;
  media_type: string;
  created_at: string;
}

/** The bytes of blobs kept by the database storage, in chunks of up to 1 MiB. */
export interface BlobChunksTable {
  /** The blob's SHA-256, or `upload:<uuid>` while an upload is being written. */
  blob_key: string;
  seq: number;
  data: Uint8Array;
  stored_at: string;
}

export interface EngagementFilesTable {
  id: string;
  org_id: string;
  engagement_id: string;
  name: string;
  /** The name in lower case: one file per name and engagement. */
  name_key: string;
  /** `as_built`, `network_map`, `contract`, `photo` or `other`. */
  tag: string;
  latest_version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface EngagementFileVersionsTable {
  id: string;
  org_id: string;
  file_id: string;
  version: number;
  sha256: string;
  size: number;
  media_type: string;
  /** The file name the uploader's computer gave it, if sent. */
  original_name: string | null;
  uploaded_by: string | null;
  uploaded_at: string;
}

// The closeout package: inventory (migration 0021-inventory) and its records (0022-closeout-records).

/** A device or asset installed on an engagement. Days are `YYYY-MM-DD`. */
export interface InventoryItemsTable {
  id: string;
  org_id: string;
  engagement_id: string;
  type: string;
  make: string | null;
  model: string | null;
  /** Unique within the engagement when present. */
  serial: string | null;
  location: string | null;
  network_address: string | null;
  firmware_version: string | null;
  installed_on: string | null;
  warranty_until: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A warranty or support contract. */
export interface WarrantiesTable {
  id: string;
  org_id: string;
  engagement_id: string;
  /** `warranty` or `support_contract`. */
  kind: string;
  provider: string;
  reference: string | null;
  starts_on: string | null;
  expires_on: string;
  covers: string | null;
  /** Days before the expiry the checkpoint reminding of it is due (the checkpoints feature opens it). */
  remind_days_before: number;
  created_at: string;
  updated_at: string;
}

/** An item of the punch list: open until done, or waived with a reason. */
export interface PunchItemsTable {
  id: string;
  org_id: string;
  engagement_id: string;
  title: string;
  owner_user_id: string;
  due_on: string | null;
  /** `open`, `done` or `waived`. */
  state: string;
  reason: string | null;
  settled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Who among the client's operators was trained on which product or system, when, by whom. */
export interface TrainingRecordsTable {
  id: string;
  org_id: string;
  engagement_id: string;
  /** The contact trained, when they are one; `trainee_name` is their name either way. */
  contact_id: string | null;
  trainee_name: string;
  product: string;
  trained_on: string;
  trainer_user_id: string;
  created_at: string;
  updated_at: string;
}

/** The internal debrief held before the closeout meeting. `attendees`: JSON list of names. */
export interface CloseoutDebriefsTable {
  id: string;
  org_id: string;
  engagement_id: string;
  held_on: string;
  notes: string | null;
  attendees: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A system that may call Baton's inbound endpoints (migration 0024). */
export interface IntegrationSourcesTable {
  id: string;
  org_id: string;
  name: string;
  /** `hubspot` | `salesforce` | `pipedrive` | `clickup` | `procore` | `sendgrid` | `mailgun`. */
  kind: string;
  /** JSON: the kind's settings. */
  config: string;
  /** The signing secret, sealed (binding: org, `integration_sources`, id, `secret`); null if none. */
  secret_ciphertext: string | null;
  secret_iv: string | null;
  secret_tag: string | null;
  data_key_id: string | null;
  enabled: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  secret_updated_at: string | null;
}

/** One event a source sent: unique on (source, the source's own event id). */
export interface InboundEventsTable {
  id: string;
  org_id: string;
  source_id: string;
  external_id: string | null;
  received_at: string;
  /** `created` | `recorded` | `refused`. */
  outcome: string;
  /** JSON list of `{ path, reason }`. */
  problems: string;
  /** JSON: what was created or recorded. */
  result: string;
  summary: string;
  /** The draft handoff the event opened (migration 0026): its problems are read on that draft. */
  handoff_id: string | null;
}

/** A milestone of an engagement that a project or ticketing tool's status reached (migration 0026). */
export interface EngagementMilestonesTable {
  id: string;
  org_id: string;
  engagement_id: string;
  milestone: string;
  status: string;
  source_id: string;
  inbound_event_id: string;
  reached_at: string;
  created_at: string;
}

/** A usage, support, adoption or escalation event about an account (migration 0029). */
export interface SignalsTable {
  id: string;
  org_id: string;
  event_id: string;
  account_id: string;
  kind: string;
  at: string;
  value: number | null;
  feature: string | null;
  csat: number | null;
  received_at: string;
}

/** An organisation's signal settings: days without usage before an account is quiet (migration 0029). */
export interface SignalSettingsTable {
  org_id: string;
  quiet_days: number;
  updated_at: string;
}

/** One quiet spell of an account, announced to its owner once (migration 0029). */
export interface QuietAlertsTable {
  org_id: string;
  account_id: string;
  quiet_since: string;
  owner_user_id: string | null;
  alerted_at: string;
}
/** Out-of-scope work asked for on an engagement, as a change order (migration 0028). */
export interface ChangeOrdersTable {
  id: string;
  org_id: string;
  engagement_id: string;
  /** What was asked. */
  request: string;
  /** Who asked: a contact of the engagement's account when known; the name is kept either way. */
  asked_by_contact_id: string | null;
  asked_by_name: string;
  /** The engagement's explicit out-of-scope item the request matches, when one does. */
  scope_item_id: string | null;
  /** Integer minor units of `currency` (ISO 4217). */
  amount_minor: number;
  currency: string;
  /** identified | quoted | approved | billed | declined */
  state: string;
  logged_by: string;
  identified_at: string;
  quoted_at: string | null;
  approved_at: string | null;
  billed_at: string | null;
  declined_at: string | null;
  created_at: string;
  updated_at: string;
}

// The facts the metrics read (migration 0030-metric-facts; docs/metrics.md). Instants are ISO
// 8601 UTC; `period` is the organisation's local month, `YYYY-MM`; durations are whole seconds.

/** One row per handoff, moved along as the handoff moves. */
export interface HandoffFactsTable {
  handoff_id: string;
  org_id: string;
  engagement_id: string;
  account_id: string;
  playbook_id: string;
  playbook_key: string;
  playbook_version: number;
  transition_key: string;
  sending_team_id: string;
  receiving_team_id: string;
  /** Who submitted it first (who drafted it, until then). */
  sender_user_id: string;
  state: string;
  /** The local month it was drafted in. */
  created_period: string;
  /** The local month it was first submitted in; null until then. */
  period: string | null;
  created_at: string;
  contract_signed_at: string | null;
  first_submitted_at: string | null;
  accepted_at: string | null;
  kickoff_at: string | null;
  closed_at: string | null;
  signed_to_submitted_s: number | null;
  submitted_to_accepted_s: number | null;
  accepted_to_kickoff_s: number | null;
  submissions: Generated<number>;
  rejections: Generated<number>;
  questions: Generated<number>;
  /** Revisions during which at least one question was asked. */
  question_rounds: Generated<number>;
  last_question_revision: number | null;
  /** 1 accepted without a rejection, 0 once rejected, null while undecided. */
  first_pass: number | null;
  updated_at: string;
}

/** One row per rejection. */
export interface HandoffRejectionFactsTable {
  id: string;
  org_id: string;
  handoff_id: string;
  reason: string;
  revision: number;
  at: string;
  period: string;
  playbook_id: string;
  sending_team_id: string;
  receiving_team_id: string;
  sender_user_id: string;
}

/** One row per checkpoint: how it was settled and, by kind, what its outcome says. */
export interface CheckpointFactsTable {
  checkpoint_id: string;
  org_id: string;
  handoff_id: string;
  engagement_id: string;
  playbook_id: string;
  sending_team_id: string;
  receiving_team_id: string;
  sender_user_id: string;
  def_key: string;
  kind: string;
  /** 1 when closing the handoff waits for it (`on_close: require`). */
  required: number;
  due_at: string;
  /** The local month of its due time. */
  period: string;
  /** open | done | waived */
  state: string;
  overdue_at: string | null;
  settled_at: string | null;
  /** 1 done by its due time, 0 done late or went overdue, null while open in time or waived. */
  on_time: number | null;
  /** A confirmation call: 1 when an answer changed something. */
  changed: number | null;
  /** A satisfaction check: its rating. */
  rating: number | null;
  /** A follow-up review: how many comparisons found a gap. */
  gaps: number | null;
}

/** One row per comparison of a follow-up review. */
export interface ReviewGapFactsTable {
  id: string;
  org_id: string;
  checkpoint_id: string;
  handoff_id: string;
  playbook_id: string;
  playbook_key: string;
  playbook_version: number;
  sending_team_id: string;
  receiving_team_id: string;
  sender_user_id: string;
  /** The packet field compared, `section.field`. */
  field: string;
  gap: number;
  category: string | null;
  reviewed_at: string;
  period: string;
}

/** One row per promise. */
export interface PromiseFactsTable {
  promise_id: string;
  org_id: string;
  engagement_id: string;
  handoff_id: string | null;
  playbook_id: string | null;
  sending_team_id: string | null;
  receiving_team_id: string | null;
  sender_user_id: string | null;
  /** open | kept | broken | renegotiated */
  status: string;
  /** The local month it was made in. */
  period: string;
  updated_at: string;
}

/** One row per answered survey. */
export interface SurveyFactsTable {
  response_id: string;
  org_id: string;
  engagement_id: string;
  account_id: string;
  csat: number;
  nps: number;
  answered_at: string;
  period: string;
}

/** How an organisation scores its accounts' health (migration 0031). */
export interface HealthSettingsTable {
  org_id: string;
  window_days: number;
  weight_usage: number;
  weight_support: number;
  weight_adoption: number;
  weight_escalations: number;
  /** JSON list of feature names. */
  features_json: string;
  healthy_min: number;
  watch_min: number;
  updated_at: string;
}

/** One account's health score on one day of the organisation's calendar (migration 0031). */
export interface HealthScoresTable {
  org_id: string;
  account_id: string;
  /** `YYYY-MM-DD`, the organisation's local date. */
  scored_on: string;
  score: number;
  band: string;
  /** JSON list of { component, score, weight, detail }. */
  components_json: string;
  computed_at: string;
}

/** One movement of an account's recurring revenue in a month (migration 0032). */
export interface RevenueRecordsTable {
  id: string;
  org_id: string;
  account_id: string;
  /** `YYYY-MM`. */
  period: string;
  /** starting | expansion | contraction | churn */
  kind: string;
  /** Integer minor units of `currency` (ISO 4217), never negative: the kind carries the sign. */
  amount_minor: number;
  currency: string;
  /** The sender's id of the record, unique in the organisation when given. */
  external_id: string | null;
  note: string | null;
  created_by: string;
  created_at: string;
}

// C8: monthly roll-ups of the metrics' facts (migration 0033; docs/design-metrics.md).

/** The organisation, month and dimensions every roll-up but the cycle histogram is grouped by. */
interface RollupKey {
  org_id: string;
  period: string;
  playbook_id: string | null;
  sending_team_id: string | null;
  receiving_team_id: string | null;
  sender_user_id: string | null;
}

/** `handoff_facts` by the month of first submission and the handoff's question rounds. */
export interface HandoffRollupsTable extends RollupKey {
  question_rounds: number;
  handoffs: number;
  accepted: number;
  decided: number;
  first_pass: number;
  questions: number;
  closed: number;
  closed_on_time: number;
  signed_n: number;
  accept_n: number;
  kickoff_n: number;
}

/** `handoff_facts` by the month drafted: the lifecycle funnel. */
export interface DraftRollupsTable extends RollupKey {
  drafted: number;
  submitted: number;
  accepted: number;
  kicked_off: number;
  closed: number;
}

export interface RejectionRollupsTable extends RollupKey {
  reason: string;
  rejections: number;
}

export interface CheckpointRollupsTable extends RollupKey {
  settled: number;
  on_time: number;
  calls: number;
  calls_changed: number;
  ratings: number;
  rating_sum: number;
}

export interface ReviewGapRollupsTable extends RollupKey {
  playbook_key: string;
  field: string;
  reviews: number;
  gaps: number;
}

export interface PromiseRollupsTable extends RollupKey {
  kept: number;
  broken: number;
  renegotiated: number;
  open: number;
}

/** Each cycle-time stage's durations in whole hours, by the month of first submission. */
export interface CycleRollupsTable {
  org_id: string;
  period: string;
  /** 1 signed → submitted, 2 submitted → accepted, 3 accepted → kickoff. */
  stage: number;
  hours: number;
  handoffs: number;
}

/** The closeout surveys answered in a month (CSAT and NPS), for the whole organisation. */
export interface SurveyRollupsTable {
  org_id: string;
  period: string;
  responses: number;
  csat_sum: number;
  promoters: number;
  passives: number;
  detractors: number;
}

/** A month of an organisation whose facts changed since it was rolled up (one per transaction). */
export interface MetricRollupMarksTable {
  id: string;
  org_id: string;
  period: string;
}

// The types of what the API answers, taken from the server's own schemas (each resource's
// `*-schema.ts`, `Static<typeof …Schema>`): the UI writes none of them again.
// `test/web-types.test.ts` keeps this file to re-exports, and web/src free of copies.

export type { Account } from '../../src/accounts/account-schema.js';
export type { Contact } from '../../src/accounts/contact-schema.js';
export type { Engagement, EngagementDetail } from '../../src/accounts/engagement-schema.js';
export type { RecordImport } from '../../src/accounts/record-import-schema.js';
export type { AuditEntry } from '../../src/audit/audit-entry-schema.js';
export type { Calendar } from '../../src/calendar/calendar-schema.js';
export type { Checkpoint, CheckpointState, Milestone } from '../../src/checkpoints/checkpoint-schema.js';
export type { Rescope } from '../../src/checkpoints/rescope-schema.js';
export type { ChangeOrder } from '../../src/closeout/change-order-schema.js';
export type { EngagementFile, FileVersion } from '../../src/closeout/file-schema.js';
export type { InventoryItem } from '../../src/closeout/inventory-schema.js';
export type {
  CloseoutStatus,
  Debrief,
  PunchItem,
  TrainingRecord,
  Warranty,
} from '../../src/closeout/records-schema.js';
export type { HandoffAction } from '../../src/handoffs/domain/handoff-actions.js';
export type {
  Decision,
  Handoff,
  HandoffActionView,
  HandoffState,
  Issue,
  Packet,
  Readiness,
} from '../../src/handoffs/handoff-schema.js';
export type { Question } from '../../src/handoffs/question-schema.js';
export type { Revision, RevisionDiff } from '../../src/handoffs/revision-schema.js';
export type { EngagementTimeline } from '../../src/handoffs/timeline-schema.js';
export type { Capability, Me, Session } from '../../src/identity/session-schema.js';
export type { Team, TeamRef } from '../../src/identity/team-schema.js';
export type { IssuedToken, Token } from '../../src/identity/token-schema.js';
export type { CreatedUser, OrganisationFormats, User } from '../../src/identity/user-schema.js';
export type { Inquiry } from '../../src/integrations/inquiry-schema.js';
export type {
  EngagementMilestone,
  InboundEvent,
  IntegrationSource,
  IntegrationSourceWithSecret,
} from '../../src/integrations/integration-source-schema.js';
export type {
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookSecret,
} from '../../src/integrations/webhook-schema.js';
export type { ErrorDetail, Page, Problem } from '../../src/kernel/http/schemas.js';
export type {
  CycleTime,
  Dashboard,
  DashboardTotals,
  FunnelStep,
  HealthDistribution,
  RetentionByQuality,
  ReviewGapRow,
  SenderScore,
  TrendPoint,
} from '../../src/metrics/dashboard-schema.js';
export type {
  NotificationChoices,
  NotificationPreferences,
} from '../../src/notifications/notification-preferences-schema.js';
export type {
  MarkNotificationsRead,
  Notification,
  NotificationPage,
  NotificationsRead,
} from '../../src/notifications/notification-schema.js';
export type { NotificationSettings } from '../../src/notifications/notification-settings-schema.js';
// The compiled form the packet editor and validator share with the server.
export type { FieldDef, SectionDef, TransitionDef } from '../../src/playbooks/domain/playbook.js';
export type {
  PlaybookError,
  PlaybookInstalled,
  PlaybookValidation,
} from '../../src/playbooks/playbook-check-schema.js';
// The playbook definition as the API serves it, typed by the server's own schema.
export type {
  PlaybookDefinition,
  PlaybookDetail,
  PlaybookSummary,
  TransitionDefinition,
} from '../../src/playbooks/playbook-definition-schema.js';
export type {
  PlaybookDraft,
  PlaybookSuggestions,
  ReviewedFieldView,
} from '../../src/playbooks/suggestions/suggestion-schema.js';
export type {
  CreatedPortalLink,
  PortalActivity,
  PortalLink,
  PortalPage,
  PortalReceipt,
} from '../../src/portal/portal-schema.js';
export type {
  AccountRevenue,
  RetentionReport,
  RetentionRow,
  RevenueImport,
  RevenueRecord,
} from '../../src/revenue/revenue-schema.js';
export type { SearchResults } from '../../src/search/search-schema.js';
export type { AccountHealth, HealthReport, HealthSettings } from '../../src/signals/health-schema.js';
export type { PromiseRecord } from '../../src/substance/promise-schema.js';
export type { ScopeItem } from '../../src/substance/scope-item-schema.js';
export type { SuccessLadder } from '../../src/substance/success-ladder-schema.js';

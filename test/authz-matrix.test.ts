import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateRequest } from '../src/identity/authenticate-request.js';
import { TOKEN_SCOPES, type TokenScope } from '../src/identity/domain/scopes.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import { type Api, buildApp } from '../src/kernel/http/build-app.js';
import { jobRow } from '../src/scheduler/job-queue.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { openTestStore } from './support/stores.js';

/**
 * The authorisation matrix: every route the server registers × every caller (each role, no
 * credentials, a token of another organisation) × records of both organisations. Every cell is
 * asserted; a route without an entry fails the test.
 */
type Role = 'admin' | 'sales' | 'operations' | 'service' | 'viewer';
type Caller = Role | 'anonymous' | 'other';
/** `ok`: passes authentication and authorisation (any answer but 401, 403, 404). */
type Cell = 'ok' | 401 | 403 | 404;

interface Fixture {
  org: TestOrg;
  account: string;
  contact: string;
  engagement: string;
  draft: string;
  submitted: string;
  question: string;
  promise: string;
  scopeItem: string;
  tokenId: string;
  checkpoint: string;
  rescope: string;
  deadJob: string;
  portalLink: string;
  vaultEntry: string;
  file: string;
  inventoryItem: string;
  warranty: string;
  punchItem: string;
  changeOrder: string;
  training: string;
  webhookEndpoint: string;
  webhookDelivery: string;
  integrationSource: string;
  revenueRecord: string;
}

interface Entry {
  /** The token scope the route needs; a GET needs `read` unless it says otherwise. */
  scope?: TokenScope;
  /** The URL for records of this fixture. */
  url: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** Who gets through on the organisation's own records (everyone else: 403 unless listed). */
  allowed: readonly Caller[];
  /** Callers of the same organisation who get 404 rather than 403 (the record is not theirs to see). */
  hidden?: readonly Caller[];
  /** Routes without a record id: another organisation's caller gets through, scoped to its own data. */
  collection?: boolean;
  /** The call changes something that a second call could not change again: use fresh records per cell. */
  fresh?: boolean;
  /** Answers only to a browser session: every bearer token gets 401. */
  sessionOnly?: boolean;
  /** Roles that pass the role check made before any record is looked up (default: every role). */
  gate?: readonly Caller[];
}

const ROLES: Role[] = ['admin', 'sales', 'operations', 'service', 'viewer'];
const EVERYONE: Caller[] = [...ROLES];
const WRITERS: Caller[] = ['admin', 'sales', 'operations', 'service'];
const packet = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
/** Valid bodies for the settings routes, read from the server before the matrix runs. */
const settings: { calendar: unknown; notifications: unknown } = { calendar: null, notifications: null };
let unique = 0;
const next = () => ++unique;

const MATRIX: Record<string, Entry> = {
  // Playbooks
  'GET /api/v1/playbooks': { url: () => '/api/v1/playbooks', allowed: EVERYONE, collection: true },
  'GET /api/v1/playbooks/:key': {
    url: () => '/api/v1/playbooks/professional-services',
    allowed: EVERYONE,
    collection: true,
  },
  'GET /api/v1/playbooks/:key/source': {
    url: () => '/api/v1/playbooks/professional-services/source',
    allowed: EVERYONE,
    collection: true,
  },
  'GET /api/v1/playbooks/:key/transitions/:transition/schema': {
    url: () => '/api/v1/playbooks/professional-services/transitions/sales-to-delivery/schema',
    allowed: EVERYONE,
    collection: true,
  },
  'POST /api/v1/playbooks/validate': {
    scope: 'read',
    url: () => '/api/v1/playbooks/validate',
    body: () => ({ source: 'key: x\n' }),
    allowed: EVERYONE,
    collection: true,
  },
  'POST /api/v1/playbooks': {
    scope: 'admin',
    url: () => '/api/v1/playbooks',
    body: () => ({ source: 'key: x\n' }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'GET /api/v1/playbooks/:key/suggestions': {
    url: () => '/api/v1/playbooks/professional-services/suggestions',
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'POST /api/v1/playbooks/:key/suggestions/:suggestion/draft': {
    scope: 'read',
    url: () =>
      '/api/v1/playbooks/professional-services/suggestions/require:sales-to-delivery.promises.promises/draft',
    // A version the playbook never had: answered 409 (stale), past authorisation; nothing is written.
    body: () => ({ version: 999 }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  // Accounts, contacts, engagements
  'GET /api/v1/accounts': { url: () => '/api/v1/accounts', allowed: EVERYONE, collection: true },
  'POST /api/v1/accounts': {
    scope: 'records',
    url: () => '/api/v1/accounts',
    body: () => ({ name: 'New' }),
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  'GET /api/v1/accounts/:id': { url: (f) => `/api/v1/accounts/${f.account}`, allowed: EVERYONE },
  'PATCH /api/v1/accounts/:id': {
    scope: 'records',
    url: (f) => `/api/v1/accounts/${f.account}`,
    body: () => ({ notes: `n${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/contacts': { url: () => '/api/v1/contacts', allowed: EVERYONE, collection: true },
  'POST /api/v1/contacts': {
    scope: 'records',
    url: () => '/api/v1/contacts',
    body: (f) => ({ account_id: f.account, name: 'C', role: 'other' }),
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  'GET /api/v1/contacts/:id': { url: (f) => `/api/v1/contacts/${f.contact}`, allowed: EVERYONE },
  'PATCH /api/v1/contacts/:id': {
    scope: 'records',
    url: (f) => `/api/v1/contacts/${f.contact}`,
    body: () => ({ title: `t${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements': { url: () => '/api/v1/engagements', allowed: EVERYONE, collection: true },
  'POST /api/v1/engagements': {
    scope: 'records',
    url: () => '/api/v1/engagements',
    body: (f) => ({ account_id: f.account, name: 'E' }),
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  'GET /api/v1/engagements/:id': { url: (f) => `/api/v1/engagements/${f.engagement}`, allowed: EVERYONE },
  'PATCH /api/v1/engagements/:id': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}`,
    body: () => ({ stage: `s${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  // Handoffs
  'POST /api/v1/handoffs': {
    scope: 'lifecycle',
    url: () => '/api/v1/handoffs',
    body: (f) => ({
      engagement_id: f.engagement,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
    }),
    allowed: ['admin', 'sales'],
    gate: WRITERS,
    collection: true,
  },
  'GET /api/v1/handoffs': { url: () => '/api/v1/handoffs', allowed: EVERYONE, collection: true },
  'GET /api/v1/handoffs/:id': { url: (f) => `/api/v1/handoffs/${f.draft}`, allowed: EVERYONE },
  'PATCH /api/v1/handoffs/:id': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.draft}`,
    body: () => ({ packet: { goal: { success_metric: `m${next()}` } } }),
    allowed: ['sales'],
  },
  'GET /api/v1/handoffs/:id/readiness': {
    url: (f) => `/api/v1/handoffs/${f.draft}/readiness`,
    allowed: EVERYONE,
  },
  'POST /api/v1/handoffs/:id/submit': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.draft}/submit`,
    allowed: ['sales'],
    fresh: true,
  },
  'POST /api/v1/handoffs/:id/withdraw': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.draft}/withdraw`,
    allowed: ['sales'],
    fresh: true,
  },
  'POST /api/v1/handoffs/:id/accept': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.submitted}/accept`,
    allowed: ['operations'],
  },
  'POST /api/v1/handoffs/:id/reject': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.submitted}/reject`,
    body: () => ({ reason_code: 'vague-goal', explanation: 'x' }),
    allowed: ['operations'],
    fresh: true,
  },
  'POST /api/v1/handoffs/:id/start-delivery': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.submitted}/start-delivery`,
    allowed: ['operations'],
  },
  'POST /api/v1/handoffs/:id/close': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.submitted}/close`,
    allowed: ['operations'],
  },
  'GET /api/v1/handoffs/:id/revisions': {
    url: (f) => `/api/v1/handoffs/${f.submitted}/revisions`,
    allowed: EVERYONE,
  },
  'GET /api/v1/handoffs/:id/revisions/:a/diff/:b': {
    url: (f) => `/api/v1/handoffs/${f.submitted}/revisions/1/diff/1`,
    allowed: EVERYONE,
  },
  'GET /api/v1/handoffs/:id/questions': {
    url: (f) => `/api/v1/handoffs/${f.submitted}/questions`,
    allowed: EVERYONE,
  },
  'POST /api/v1/handoffs/:id/questions': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.submitted}/questions`,
    body: () => ({ body: 'Why?' }),
    allowed: ['operations'],
  },
  'POST /api/v1/questions/:id/answer': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/questions/${f.question}/answer`,
    body: () => ({ answer: 'Because.' }),
    allowed: ['sales'],
    fresh: true,
  },
  'GET /api/v1/handoffs/:id/audit': {
    url: (f) => `/api/v1/handoffs/${f.submitted}/audit`,
    allowed: EVERYONE,
  },
  'GET /api/v1/handoffs/:id/summary': {
    url: (f) => `/api/v1/handoffs/${f.submitted}/summary`,
    allowed: EVERYONE,
  },
  'GET /api/v1/handoffs/:id/promises': {
    url: (f) => `/api/v1/handoffs/${f.submitted}/promises`,
    allowed: EVERYONE,
  },
  'GET /api/v1/handoffs/:id/scope-items': {
    url: (f) => `/api/v1/handoffs/${f.submitted}/scope-items`,
    allowed: EVERYONE,
  },
  // Substance
  'GET /api/v1/engagements/:id/promises': {
    url: (f) => `/api/v1/engagements/${f.engagement}/promises`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/promises': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/promises`,
    body: () => ({ text: `Promise ${next()}`, made_by: 'Sam', in_contract: false }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'PATCH /api/v1/promises/:id': {
    scope: 'records',
    url: (f) => `/api/v1/promises/${f.promise}`,
    body: () => ({ made_by: `Sam ${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/scope-items': {
    url: (f) => `/api/v1/engagements/${f.engagement}/scope-items`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/scope-items': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/scope-items`,
    body: () => ({ kind: 'in', description: `Item ${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'PATCH /api/v1/scope-items/:id': {
    scope: 'records',
    url: (f) => `/api/v1/scope-items/${f.scopeItem}`,
    body: () => ({ description: `Item ${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'DELETE /api/v1/scope-items/:id': {
    scope: 'records',
    url: (f) => `/api/v1/scope-items/${f.scopeItem}`,
    allowed: WRITERS,
    gate: WRITERS,
    fresh: true,
  },
  // The closeout: inventory (an import sent as JSON is refused 415 after the role and the
  // engagement are checked, which is what the cells assert).
  'GET /api/v1/engagements/:id/inventory': {
    url: (f) => `/api/v1/engagements/${f.engagement}/inventory`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/inventory': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/inventory`,
    body: () => ({ type: 'Camera' }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'PATCH /api/v1/inventory/:id': {
    scope: 'records',
    url: (f) => `/api/v1/inventory/${f.inventoryItem}`,
    body: () => ({ location: `Dock ${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'DELETE /api/v1/inventory/:id': {
    scope: 'records',
    url: (f) => `/api/v1/inventory/${f.inventoryItem}`,
    allowed: WRITERS,
    gate: WRITERS,
    fresh: true,
  },
  'POST /api/v1/engagements/:id/inventory/import': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/inventory/import`,
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/inventory.csv': {
    url: (f) => `/api/v1/engagements/${f.engagement}/inventory.csv`,
    allowed: EVERYONE,
  },
  // The closeout's records, its checklist and closing out (the fixture's engagement runs on a
  // playbook with no checklist: the first allowed caller closes it out, later ones get 409).
  'GET /api/v1/engagements/:id/warranties': {
    url: (f) => `/api/v1/engagements/${f.engagement}/warranties`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/warranties': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/warranties`,
    body: () => ({ kind: 'warranty', provider: 'Axis', expires_on: '2029-03-01' }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'PATCH /api/v1/warranties/:id': {
    scope: 'records',
    url: (f) => `/api/v1/warranties/${f.warranty}`,
    body: () => ({ covers: `Cameras ${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'DELETE /api/v1/warranties/:id': {
    scope: 'records',
    url: (f) => `/api/v1/warranties/${f.warranty}`,
    allowed: WRITERS,
    gate: WRITERS,
    fresh: true,
  },
  'GET /api/v1/engagements/:id/punch-items': {
    url: (f) => `/api/v1/engagements/${f.engagement}/punch-items`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/punch-items': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/punch-items`,
    body: (f) => ({ title: 'Label the panel', owner_id: f.org.userIds.operations }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'PATCH /api/v1/punch-items/:id': {
    scope: 'records',
    url: (f) => `/api/v1/punch-items/${f.punchItem}`,
    body: () => ({ title: `Label panel ${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/change-orders': {
    url: (f) => `/api/v1/engagements/${f.engagement}/change-orders`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/change-orders': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/change-orders`,
    body: () => ({ request: 'A second site', asked_by_name: 'Pat', amount_minor: 1000, currency: 'USD' }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/change-orders/:id': {
    url: (f) => `/api/v1/change-orders/${f.changeOrder}`,
    allowed: EVERYONE,
  },
  'POST /api/v1/change-orders/:id/:action': {
    scope: 'records',
    url: (f) => `/api/v1/change-orders/${f.changeOrder}/quote`,
    body: () => ({}),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/reports/change-orders': {
    url: () => '/api/v1/reports/change-orders?from=2026-01-01',
    allowed: EVERYONE,
    collection: true,
  },
  'GET /api/v1/engagements/:id/training': {
    url: (f) => `/api/v1/engagements/${f.engagement}/training`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/training': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/training`,
    body: (f) => ({
      trainee_name: 'Rosa',
      product: 'Camera',
      trained_on: '2026-01-02',
      trainer_id: f.org.userIds.operations,
    }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'DELETE /api/v1/training/:id': {
    scope: 'records',
    url: (f) => `/api/v1/training/${f.training}`,
    allowed: WRITERS,
    gate: WRITERS,
    fresh: true,
  },
  'GET /api/v1/engagements/:id/debriefs': {
    url: (f) => `/api/v1/engagements/${f.engagement}/debriefs`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/debriefs': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/debriefs`,
    body: () => ({ held_on: '2025-01-02', attendees: ['Olive'] }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'PUT /api/v1/engagements/:id/service-lead': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/service-lead`,
    body: (f) => ({ user_id: f.org.userIds.service }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/closeout': {
    url: (f) => `/api/v1/engagements/${f.engagement}/closeout`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/closeout': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/closeout`,
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/success-ladder': {
    url: (f) => `/api/v1/engagements/${f.engagement}/success-ladder`,
    allowed: EVERYONE,
  },
  'PUT /api/v1/engagements/:id/success-ladder': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/success-ladder`,
    body: () => ({
      goal: `g${next()}`,
      metric: null,
      ultimate_objective: null,
      earliest_signal: null,
      minimum_outcome: null,
      early_win: null,
    }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  // Checkpoints, milestones, calendar
  'GET /api/v1/checkpoints': { url: () => '/api/v1/checkpoints', allowed: EVERYONE, collection: true },
  'GET /api/v1/checkpoints/:id': { url: (f) => `/api/v1/checkpoints/${f.checkpoint}`, allowed: EVERYONE },
  'GET /api/v1/checkpoints/:id/invitation.ics': {
    url: (f) => `/api/v1/checkpoints/${f.checkpoint}/invitation.ics`,
    allowed: EVERYONE,
  },
  'POST /api/v1/checkpoints/:id/complete': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/checkpoints/${f.checkpoint}/complete`,
    body: () => ({}),
    allowed: ['admin', 'operations'],
    fresh: true,
  },
  'POST /api/v1/checkpoints/:id/waive': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/checkpoints/${f.checkpoint}/waive`,
    body: () => ({ reason: 'Not needed for this client' }),
    allowed: ['admin', 'operations'],
    fresh: true,
  },
  'POST /api/v1/checkpoints/:id/pause': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/checkpoints/${f.checkpoint}/pause`,
    body: () => ({ reason: 'Waiting on the customer' }),
    allowed: ['admin', 'operations'],
  },
  'POST /api/v1/checkpoints/:id/resume': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/checkpoints/${f.checkpoint}/resume`,
    body: () => ({}),
    allowed: ['admin', 'operations'],
  },
  'POST /api/v1/checkpoints/:id/schedule': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/checkpoints/${f.checkpoint}/schedule`,
    body: () => ({
      start: '2026-01-07T15:00:00Z',
      duration_minutes: 30,
      invitees: [{ name: 'Dana', email: 'dana@client.example' }],
    }),
    allowed: ['admin', 'operations'],
  },
  'GET /api/v1/handoffs/:id/milestones': {
    url: (f) => `/api/v1/handoffs/${f.submitted}/milestones`,
    allowed: EVERYONE,
  },
  'POST /api/v1/handoffs/:id/milestones': {
    scope: 'lifecycle',
    url: (f) => `/api/v1/handoffs/${f.submitted}/milestones`,
    body: () => ({ key: 'contract_signed', at: '2026-01-02T10:00:00Z' }),
    allowed: ['admin', 'sales', 'operations'],
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/rescopes': {
    url: (f) => `/api/v1/engagements/${f.engagement}/rescopes`,
    allowed: EVERYONE,
  },
  'POST /api/v1/rescopes/:id/resolve': {
    url: (f) => `/api/v1/rescopes/${f.rescope}/resolve`,
    body: () => ({ outcome: 'crew', note: 'Two cleaners instead of one' }),
    // The handoff's two teams (sales sends, operations receives) and admins.
    allowed: ['admin', 'sales', 'operations'],
    gate: WRITERS,
    scope: 'lifecycle',
  },
  'GET /api/v1/engagements/:id/timeline': {
    url: (f) => `/api/v1/engagements/${f.engagement}/timeline`,
    allowed: EVERYONE,
  },
  'GET /api/v1/calendar': { url: () => '/api/v1/calendar', allowed: EVERYONE, collection: true },
  'PUT /api/v1/calendar': {
    scope: 'admin',
    url: () => '/api/v1/calendar',
    body: () => settings.calendar,
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'PUT /api/v1/organisation/formats': {
    scope: 'admin',
    url: () => '/api/v1/organisation/formats',
    body: () => ({ locale: 'en-GB', currency: 'EUR' }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'GET /api/v1/notification-settings': {
    url: () => '/api/v1/notification-settings',
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'PUT /api/v1/notification-settings': {
    scope: 'admin',
    url: () => '/api/v1/notification-settings',
    body: () => settings.notifications,
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  // Browser sessions
  // A bearer token is not a browser session: this route answers 401 to every token (test/session.test.ts covers cookies).
  'GET /api/v1/session': {
    url: () => '/api/v1/session',
    allowed: EVERYONE,
    collection: true,
    sessionOnly: true,
  },
  'DELETE /api/v1/session': {
    scope: 'read',
    url: () => '/api/v1/session',
    allowed: EVERYONE,
    collection: true,
  },
  'PUT /api/v1/users/:id/password': {
    scope: 'admin',
    url: (f) => `/api/v1/users/${f.org.userIds.admin}/password`,
    body: () => ({ password: 'a-long-enough-password' }),
    allowed: ['admin'],
    gate: ['admin'],
  },
  // Identity and audit
  'GET /api/v1/me': { url: () => '/api/v1/me', allowed: EVERYONE, collection: true },
  // Global search
  'GET /api/v1/search': { url: () => '/api/v1/search?q=acc', allowed: EVERYONE, collection: true },
  'GET /api/v1/users': { url: () => '/api/v1/users', allowed: EVERYONE, collection: true },
  'POST /api/v1/users': {
    scope: 'admin',
    url: () => '/api/v1/users',
    body: () => ({ email: `u${next()}@matrix.example`, role: 'viewer' }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'PATCH /api/v1/users/:id': {
    scope: 'admin',
    url: (f) => `/api/v1/users/${f.org.userIds.viewer}`,
    body: () => ({ name: `Viewer ${next()}` }),
    allowed: ['admin'],
    gate: ['admin'],
  },
  'GET /api/v1/teams': { url: () => '/api/v1/teams', allowed: EVERYONE, collection: true },
  'POST /api/v1/teams': {
    scope: 'admin',
    url: () => '/api/v1/teams',
    body: () => ({ key: `team${next()}`, name: 'T' }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'GET /api/v1/tokens': { url: () => '/api/v1/tokens', allowed: EVERYONE, collection: true },
  'POST /api/v1/tokens': {
    scope: 'admin',
    url: () => '/api/v1/tokens',
    body: () => ({ name: 'cli' }),
    allowed: EVERYONE,
    collection: true,
  },
  'DELETE /api/v1/tokens/:id': {
    scope: 'admin',
    url: (f) => `/api/v1/tokens/${f.tokenId}`,
    allowed: ['admin', 'sales'],
    hidden: ['operations', 'service', 'viewer'],
    fresh: true,
  },
  'GET /api/v1/users/:id/notification-preferences': {
    url: (f) => `/api/v1/users/${f.org.userIds.viewer}/notification-preferences`,
    allowed: ['admin', 'viewer'],
  },
  'PUT /api/v1/users/:id/notification-preferences': {
    url: (f) => `/api/v1/users/${f.org.userIds.viewer}/notification-preferences`,
    scope: 'admin',
    body: () => ({
      email: {
        handoff_submitted: true,
        handoff_rejected: true,
        question_asked: true,
        question_answered: true,
        review_nudge: true,
      },
      chat_mention: true,
    }),
    allowed: ['admin', 'viewer'],
  },
  // The notification centre: everyone reads and marks their own list, and only that.
  'GET /api/v1/notifications': { url: () => '/api/v1/notifications', allowed: EVERYONE, collection: true },
  'POST /api/v1/notifications/read': {
    scope: 'read',
    url: () => '/api/v1/notifications/read',
    body: () => ({ up_to: '2026-01-01T00:00:00.000Z' }),
    allowed: EVERYONE,
    collection: true,
  },
  'GET /api/v1/audit': { url: () => '/api/v1/audit', allowed: ['admin'], gate: ['admin'], collection: true },
  'GET /api/v1/audit/verify': {
    url: () => '/api/v1/audit/verify',
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'GET /api/v1/audit/proof': {
    url: () => '/api/v1/audit/proof?seq=1',
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  // Dead letters
  'GET /api/v1/dead-jobs': {
    url: () => '/api/v1/dead-jobs',
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'POST /api/v1/dead-jobs/:id/retry': {
    scope: 'admin',
    url: (f) => `/api/v1/dead-jobs/${f.deadJob}/retry`,
    allowed: ['admin'],
    gate: ['admin'],
  },
  // The client portal (the team's side; the client's routes are public, by the link alone)
  'POST /api/v1/engagements/:id/portal-links': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/portal-links`,
    body: (f) => ({ contact_id: f.contact, purpose: 'confirm' }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/portal-links': {
    url: (f) => `/api/v1/engagements/${f.engagement}/portal-links`,
    allowed: EVERYONE,
  },
  'DELETE /api/v1/portal-links/:id': {
    scope: 'records',
    url: (f) => `/api/v1/portal-links/${f.portalLink}`,
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/portal': {
    url: (f) => `/api/v1/engagements/${f.engagement}/portal`,
    allowed: EVERYONE,
  },
  // The credential vault (issue 13)
  'GET /api/v1/engagements/:id/vault': {
    url: (f) => `/api/v1/engagements/${f.engagement}/vault`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/vault': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/vault`,
    body: () => ({ system: `System ${next()}`, secret: 'matrix-secret' }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/vault/:entryId': {
    url: (f) => `/api/v1/engagements/${f.engagement}/vault/${f.vaultEntry}`,
    allowed: EVERYONE,
  },
  'PATCH /api/v1/engagements/:id/vault/:entryId': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/vault/${f.vaultEntry}`,
    body: () => ({ notes: `n${next()}` }),
    allowed: WRITERS,
    gate: WRITERS,
  },
  'DELETE /api/v1/engagements/:id/vault/:entryId': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/vault/${f.vaultEntry}`,
    allowed: WRITERS,
    gate: WRITERS,
    fresh: true,
  },
  'POST /api/v1/engagements/:id/vault/:entryId/reveal': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/vault/${f.vaultEntry}/reveal`,
    body: () => ({ reason: 'Matrix' }),
    allowed: ['admin', 'operations', 'service'],
    gate: ['admin', 'operations', 'service'],
  },
  // Closeout: engagement files (the matrix's JSON body is uploaded as the file's bytes)
  'GET /api/v1/engagements/:id/files': {
    url: (f) => `/api/v1/engagements/${f.engagement}/files`,
    allowed: EVERYONE,
  },
  'POST /api/v1/engagements/:id/files': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/files?name=Notes%20${next()}&tag=other`,
    allowed: WRITERS,
    gate: WRITERS,
  },
  'POST /api/v1/engagements/:id/files/:fileId/versions': {
    scope: 'records',
    url: (f) => `/api/v1/engagements/${f.engagement}/files/${f.file}/versions`,
    allowed: WRITERS,
    gate: WRITERS,
  },
  'GET /api/v1/engagements/:id/files/:fileId/versions/:version/content': {
    url: (f) => `/api/v1/engagements/${f.engagement}/files/${f.file}/versions/1/content`,
    allowed: EVERYONE,
  }, // Inquiries after closeout (issue 14): the admins' list; the inbound endpoint is public
  'GET /api/v1/inquiries': {
    url: () => '/api/v1/inquiries',
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  // CSV imports of accounts, contacts and engagements (a body sent as JSON is refused 415 after
  // the role is checked, which is what the cells assert).
  'POST /api/v1/accounts/import': {
    scope: 'records',
    url: () => '/api/v1/accounts/import',
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  'POST /api/v1/contacts/import': {
    scope: 'records',
    url: () => '/api/v1/contacts/import',
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  'POST /api/v1/engagements/import': {
    scope: 'records',
    url: () => '/api/v1/engagements/import',
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  // Outbound webhooks (issue 14)
  'GET /api/v1/webhook-event-types': {
    url: () => '/api/v1/webhook-event-types',
    allowed: EVERYONE,
    collection: true,
  },
  'GET /api/v1/webhook-endpoints': {
    url: () => '/api/v1/webhook-endpoints',
    allowed: EVERYONE,
    collection: true,
  },
  'POST /api/v1/webhook-endpoints': {
    scope: 'admin',
    url: () => '/api/v1/webhook-endpoints',
    body: () => ({ url: `https://203.0.113.10/hook/${next()}` }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'GET /api/v1/webhook-endpoints/:id': {
    url: (f) => `/api/v1/webhook-endpoints/${f.webhookEndpoint}`,
    allowed: EVERYONE,
  },
  'PATCH /api/v1/webhook-endpoints/:id': {
    scope: 'admin',
    url: (f) => `/api/v1/webhook-endpoints/${f.webhookEndpoint}`,
    body: () => ({ description: `d${next()}` }),
    allowed: ['admin'],
    gate: ['admin'],
  },
  'DELETE /api/v1/webhook-endpoints/:id': {
    scope: 'admin',
    url: (f) => `/api/v1/webhook-endpoints/${f.webhookEndpoint}`,
    allowed: ['admin'],
    gate: ['admin'],
    fresh: true,
  },
  'POST /api/v1/webhook-endpoints/:id/secrets': {
    scope: 'admin',
    url: (f) => `/api/v1/webhook-endpoints/${f.webhookEndpoint}/secrets`,
    allowed: ['admin'],
    gate: ['admin'],
  },
  'GET /api/v1/webhook-endpoints/:id/deliveries': {
    url: (f) => `/api/v1/webhook-endpoints/${f.webhookEndpoint}/deliveries`,
    allowed: EVERYONE,
  },
  'POST /api/v1/webhook-endpoints/:id/deliveries/:deliveryId/replay': {
    scope: 'admin',
    url: (f) => `/api/v1/webhook-endpoints/${f.webhookEndpoint}/deliveries/${f.webhookDelivery}/replay`,
    allowed: ['admin'],
    gate: ['admin'],
  },
  'POST /api/v1/webhook-endpoints/:id/test': {
    scope: 'admin',
    url: (f) => `/api/v1/webhook-endpoints/${f.webhookEndpoint}/test`,
    allowed: ['admin'],
    gate: ['admin'],
  },
  // Integrations: inbound sources (admins), what the deals and status hooks left on records
  'GET /api/v1/integration-sources': {
    url: () => '/api/v1/integration-sources',
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'POST /api/v1/integration-sources': {
    scope: 'admin',
    url: () => '/api/v1/integration-sources',
    body: () => ({ kind: 'procore', name: `P${next()}`, config: { milestones: { a: 'b' } } }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  'GET /api/v1/integration-sources/:id': {
    url: (f) => `/api/v1/integration-sources/${f.integrationSource}`,
    allowed: ['admin'],
    gate: ['admin'],
  },
  'PATCH /api/v1/integration-sources/:id': {
    scope: 'admin',
    url: (f) => `/api/v1/integration-sources/${f.integrationSource}`,
    body: () => ({ name: `Procore ${next()}` }),
    allowed: ['admin'],
    gate: ['admin'],
  },
  'POST /api/v1/integration-sources/:id/secret': {
    scope: 'admin',
    url: (f) => `/api/v1/integration-sources/${f.integrationSource}/secret`,
    body: () => ({}),
    allowed: ['admin'],
    gate: ['admin'],
  },
  'GET /api/v1/integration-sources/:id/events': {
    url: (f) => `/api/v1/integration-sources/${f.integrationSource}/events`,
    allowed: ['admin'],
    gate: ['admin'],
  },
  'GET /api/v1/handoffs/:id/inbound-notes': {
    url: (f) => `/api/v1/handoffs/${f.draft}/inbound-notes`,
    allowed: EVERYONE,
  },
  'GET /api/v1/engagements/:id/inbound-milestones': {
    url: (f) => `/api/v1/engagements/${f.engagement}/inbound-milestones`,
    allowed: EVERYONE,
  },
  // Signals and quiet accounts (issue 15)
  'POST /api/v1/signals': {
    scope: 'records',
    url: () => '/api/v1/signals',
    body: (f) => ({
      signals: [
        { event_id: `authz-${next()}`, account_id: f.account, kind: 'usage', at: '2026-03-01T09:00:00Z' },
      ],
    }),
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  'GET /api/v1/accounts/:id/signals': {
    url: (f) => `/api/v1/accounts/${f.account}/signals`,
    allowed: EVERYONE,
  },
  'GET /api/v1/signal-settings': {
    url: () => '/api/v1/signal-settings',
    allowed: EVERYONE,
    collection: true,
  },
  'PUT /api/v1/signal-settings': {
    scope: 'admin',
    url: () => '/api/v1/signal-settings',
    body: () => ({ quiet_days: 30 }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  // Health scores (issue 15)
  'GET /api/v1/accounts/:id/health': {
    url: (f) => `/api/v1/accounts/${f.account}/health`,
    allowed: EVERYONE,
  },
  'GET /api/v1/reports/health': { url: () => '/api/v1/reports/health', allowed: EVERYONE, collection: true },
  'GET /api/v1/health-settings': {
    url: () => '/api/v1/health-settings',
    allowed: EVERYONE,
    collection: true,
  },
  'PUT /api/v1/health-settings': {
    scope: 'admin',
    url: () => '/api/v1/health-settings',
    body: () => ({
      window_days: 30,
      weights: { usage: 40, support: 25, adoption: 20, escalations: 15 },
      features: [],
      bands: { healthy: 70, watch: 40 },
    }),
    allowed: ['admin'],
    gate: ['admin'],
    collection: true,
  },
  // Revenue records and retention (issue 15)
  'POST /api/v1/revenue-records': {
    scope: 'records',
    url: () => '/api/v1/revenue-records',
    body: (f) => ({
      records: [
        { account_id: f.account, period: '2026-01', kind: 'expansion', amount_minor: 100, currency: 'EUR' },
      ],
    }),
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  'GET /api/v1/revenue-records': {
    url: () => '/api/v1/revenue-records',
    allowed: EVERYONE,
    collection: true,
  },
  'DELETE /api/v1/revenue-records/:id': {
    scope: 'records',
    url: (f) => `/api/v1/revenue-records/${f.revenueRecord}`,
    allowed: WRITERS,
    gate: WRITERS,
    fresh: true,
  },
  'POST /api/v1/revenue-records/import': {
    scope: 'records',
    url: () => '/api/v1/revenue-records/import',
    allowed: WRITERS,
    gate: WRITERS,
    collection: true,
  },
  'GET /api/v1/accounts/:id/revenue': {
    url: (f) => `/api/v1/accounts/${f.account}/revenue`,
    allowed: EVERYONE,
  },
  'GET /api/v1/reports/retention': {
    url: () => '/api/v1/reports/retention?from=2026-01&to=2026-03&by=cohort',
    allowed: EVERYONE,
    collection: true,
  },
  // Metrics and the dashboard (issue 15)
  'GET /api/v1/metrics': { url: () => '/api/v1/metrics', allowed: EVERYONE, collection: true },
  'GET /api/v1/metrics/:key': {
    url: () => '/api/v1/metrics/first_pass_rate?by=period',
    allowed: EVERYONE,
    collection: true,
  },
  'GET /api/v1/metrics/:key.csv': {
    url: () => '/api/v1/metrics/first_pass_rate.csv?by=period',
    allowed: EVERYONE,
    collection: true,
  },
  'GET /api/v1/dashboard': { url: () => '/api/v1/dashboard?from=2026-01', allowed: EVERYONE, collection: true },
};

/**
 * What a refusal of the route must name: its last literal path segment, in words and singular
 * (`POST /api/v1/handoffs/:id/start-delivery` → "start delivery", `GET /api/v1/audit` → "audit").
 */
function actionWords(key: string): string {
  const segments = key
    .split(' ')[1]!
    .split('/')
    .filter((s) => s && !s.startsWith(':'));
  return segments
    .at(-1)!
    .replace(/\.csv$/, '')
    .replace(/-/g, ' ')
    .replace(/s$/, '');
}

/** The scope the matrix says a route needs. */
function scopeOf(key: string): TokenScope | undefined {
  return MATRIX[key]!.scope ?? (key.startsWith('GET ') ? 'read' : undefined);
}

/** Routes that answer without credentials, by design. */
const PUBLIC = new Set([
  'GET /problems/:slug',
  'GET /api/v1/openapi.json',
  'GET /healthz',
  'POST /api/v1/session',
  'GET /api/v1/portal/:token',
  'POST /api/v1/portal/:token/confirm',
  'POST /api/v1/portal/:token/signoff',
  'POST /api/v1/portal/:token/survey',
  'GET /api/v1/portal/:token/files/:fileId/versions/:version',
  'POST /api/v1/inbound/inquiry/:source',
  // Senders prove themselves by their source's scheme (signature, Basic auth, organisation id).
  'POST /api/v1/inbound/crm/:source',
  'POST /api/v1/inbound/status/:source',
]);

/**
 * Every list's `.csv` twin (src/kernel/csv/list-export.ts) answers whom its list answers, on the
 * same records: its entry is the list's, at the `.csv` URL. Added once the server says which lists
 * have one; a twin whose list has no entry is still reported missing.
 */
function addCsvTwins(registered: readonly { method: string; url: string }[]): void {
  for (const r of registered) {
    const key = `${r.method} ${r.url}`;
    const list = MATRIX[key.replace(/\.csv$/, '')];
    if (r.method !== 'GET' || !r.url.endsWith('.csv') || key in MATRIX || !list) continue;
    MATRIX[key] = {
      ...list,
      url: (f) => {
        const [path, query] = list.url(f).split('?');
        return `${path}.csv${query ? `?${query}` : ''}`;
      },
    };
  }
}

describe('the authorisation matrix', () => {
  let app: Api;
  let deps: Deps;
  let store: Store;
  let a: TestOrg;
  let b: TestOrg;

  const fixture = async (org: TestOrg): Promise<Fixture> => {
    const sales = call(app, org.sales);
    const ops = call(app, org.operations);
    const account = (await sales('POST', '/api/v1/accounts', { name: 'Acc' })).body;
    const contact = (
      await sales('POST', '/api/v1/contacts', { account_id: account.id, name: 'Pat', role: 'buyer' })
    ).body;
    const engagement = (await sales('POST', '/api/v1/engagements', { account_id: account.id, name: 'Eng' }))
      .body;
    // An engagement has one open handoff per transition: the draft has an engagement of its own.
    const draftEngagement = (
      await sales('POST', '/api/v1/engagements', { account_id: account.id, name: 'Eng draft' })
    ).body;
    const open = async (engagementId: string) =>
      (
        await sales('POST', '/api/v1/handoffs', {
          engagement_id: engagementId,
          playbook: 'professional-services',
          transition: 'sales-to-delivery',
          packet,
        })
      ).body.id as string;
    const draft = await open(draftEngagement.id);
    const submitted = await open(engagement.id);
    expect((await sales('POST', `/api/v1/handoffs/${submitted}/submit`)).status).toBe(200);
    const question = (await ops('POST', `/api/v1/handoffs/${submitted}/questions`, { body: 'Which sites?' }))
      .body;
    const promise = (
      await sales('POST', `/api/v1/engagements/${engagement.id}/promises`, {
        text: 'P',
        made_by: 'S',
        in_contract: true,
      })
    ).body;
    const scopeItem = (
      await sales('POST', `/api/v1/engagements/${engagement.id}/scope-items`, {
        kind: 'out',
        description: `X${next()}`,
      })
    ).body;
    const token = (await sales('POST', '/api/v1/tokens', { name: `t${next()}` })).body;
    const vaultEntry = (
      await ops('POST', `/api/v1/engagements/${engagement.id}/vault`, {
        system: 'BMS',
        secret: 'matrix-pass',
      })
    ).body;
    const file = (
      await sales('POST', `/api/v1/engagements/${engagement.id}/files?name=As-built&tag=as_built`, {
        drawing: 'floor 1',
      })
    ).body;
    const checkpoints = (await ops('GET', `/api/v1/checkpoints?handoff_id=${submitted}`)).body
      .items as Json[];
    const review = checkpoints.find((c) => c.owner.team.key === 'operations');
    expect(review, 'the submitted handoff has a checkpoint owned by operations').toBeDefined();
    const client = (
      await sales('POST', '/api/v1/contacts', {
        account_id: account.id,
        name: 'Ada',
        email: `ada${next()}@client.test`,
        role: 'sponsor',
      })
    ).body;
    const portalLink = (
      await ops('POST', `/api/v1/engagements/${engagement.id}/portal-links`, {
        contact_id: client.id,
        purpose: 'signoff',
      })
    ).body.link.id as string;
    const admin = call(app, org.admin);
    const webhookEndpoint = (
      await admin('POST', '/api/v1/webhook-endpoints', { url: 'https://203.0.113.10/hook' })
    ).body.endpoint.id as string;
    const webhookDelivery = (await admin('POST', `/api/v1/webhook-endpoints/${webhookEndpoint}/test`)).body
      .id as string;
    return {
      webhookEndpoint,
      webhookDelivery,
      portalLink,
      ...(await rescopeOf(org, engagement.id)),
      deadJob: await deadJobOf(org),
      org,
      account: account.id,
      contact: contact.id,
      engagement: engagement.id,
      draft,
      submitted,
      question: question.id,
      promise: promise.id,
      scopeItem: scopeItem.id,
      tokenId: token.id,
      vaultEntry: vaultEntry.id,
      checkpoint: review.id,
      file: file.id,
      inventoryItem: (
        await sales('POST', `/api/v1/engagements/${engagement.id}/inventory`, { type: 'Camera' })
      ).body.id,
      warranty: (
        await sales('POST', `/api/v1/engagements/${engagement.id}/warranties`, {
          kind: 'warranty',
          provider: 'Axis',
          expires_on: '2029-03-01',
        })
      ).body.id,
      punchItem: (
        await sales('POST', `/api/v1/engagements/${engagement.id}/punch-items`, {
          title: 'Label the panel',
          owner_id: org.userIds.operations,
        })
      ).body.id,
      changeOrder: (
        await sales('POST', `/api/v1/engagements/${engagement.id}/change-orders`, {
          request: 'Paint the racks',
          asked_by_name: 'Pat',
          amount_minor: 5000,
          currency: 'USD',
        })
      ).body.id,
      training: (
        await sales('POST', `/api/v1/engagements/${engagement.id}/training`, {
          trainee_name: 'Rosa',
          product: 'Camera',
          trained_on: '2026-01-02',
          trainer_id: org.userIds.operations,
        })
      ).body.id,
      integrationSource: (
        await call(app, org.admin)('POST', '/api/v1/integration-sources', {
          kind: 'procore',
          name: 'Procore',
          config: { milestones: { 'Projects.update': 'Updated' } },
        })
      ).body.source.id,
      revenueRecord: await revenueRecordOf(sales, account.id),
    };
  };

  /** A revenue record of the account: the batch answers counts, the list its id. */
  const revenueRecordOf = async (sales: ReturnType<typeof call>, accountId: string): Promise<string> => {
    const external_id = `authz-revenue-${next()}`;
    await sales('POST', '/api/v1/revenue-records', {
      records: [
        {
          account_id: accountId,
          period: '2026-01',
          kind: 'starting',
          amount_minor: 1000,
          currency: 'EUR',
          external_id,
        },
      ],
    });
    const listed = await sales('GET', `/api/v1/revenue-records?account_id=${accountId}&limit=1000`);
    return listed.body.items.find((r: Json) => r.external_id === external_id).id;
  };

  /** A re-scope record, opened by a confirmation call whose answers changed. */
  const rescopeOf = async (org: TestOrg, engagementId: string): Promise<{ rescope: string }> => {
    const sales = call(app, org.sales);
    const ops = call(app, org.operations);
    const visit = (
      await sales('POST', '/api/v1/handoffs', {
        engagement_id: engagementId,
        playbook: 'field-service-first-visit',
        transition: 'estimate-to-operations',
        packet: EXAMPLE_PACKETS['field-service-first-visit']!['estimate-to-operations'],
      })
    ).body.id as string;
    expect((await sales('POST', `/api/v1/handoffs/${visit}/submit`)).status).toBe(200);
    expect((await ops('POST', `/api/v1/handoffs/${visit}/accept`)).status).toBe(200);
    const at = new Date(deps.clock.now().getTime() + 3_600_000).toISOString();
    expect(
      (await ops('POST', `/api/v1/handoffs/${visit}/milestones`, { key: 'first_visit', at })).status,
    ).toBe(200);
    const confirmation = (await ops('GET', `/api/v1/checkpoints?handoff_id=${visit}`)).body.items[0] as Json;
    const answers = confirmation.script.map((q: Json) => ({ key: q.key, answer: 'Changed', changed: true }));
    expect(
      (await ops('POST', `/api/v1/checkpoints/${confirmation.id}/complete`, { outcome: { answers } })).status,
    ).toBe(200);
    const rescopes = (await ops('GET', `/api/v1/engagements/${engagementId}/rescopes`)).body.items as Json[];
    return { rescope: rescopes.find((r) => r.handoff_id === visit).id };
  };

  /** A job of the organisation that failed every attempt (a chat message to a webhook that kept failing). */
  const deadJobOf = async (org: TestOrg): Promise<string> => {
    const now = deps.clock.now();
    const row = jobRow(
      {
        kind: 'send_webhook',
        version: 1,
        dedupeKey: `matrix:${next()}`,
        orgId: org.id,
        payload: { url: 'https://chat.example/hook', body: { text: 'x' } },
        availableAt: now,
      },
      now,
    );
    await store.db
      .insertInto('scheduled_jobs')
      .values({
        ...row,
        status: 'dead',
        attempts: 8,
        last_error: 'chat.example answered 500',
        finished_at: now.toISOString(),
      })
      .execute();
    return row.id;
  };

  let shared: { a: Fixture; b: Fixture };
  /** Org A's tokens per role: holding only one scope, and holding every scope but that one. */
  const scoped: Record<'only' | 'without', Record<Role, Record<TokenScope, string>>> = {
    only: {} as never,
    without: {} as never,
  };

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    ({ app, deps } = await testApp(store));
    addCsvTwins(app.registeredRoutes);
    a = await seedOrg(deps, 'Matrix A');
    b = await seedOrg(deps, 'Matrix B');
    shared = { a: await fixture(a), b: await fixture(b) };
    settings.calendar = (await call(app, a.admin)('GET', '/api/v1/calendar')).body;
    settings.notifications = (await call(app, a.admin)('GET', '/api/v1/notification-settings')).body;
    for (const role of ROLES) {
      scoped.only[role] = {} as never;
      scoped.without[role] = {} as never;
      for (const scope of TOKEN_SCOPES) {
        const make = async (scopes: TokenScope[]) => {
          const res = await call(app, a.admin)('POST', '/api/v1/tokens', {
            name: `${role} ${scopes.join(' ')}`,
            user_id: a.userIds[role],
            scopes,
          });
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          return res.body.token as string;
        };
        scoped.only[role][scope] = await make([scope]);
        scoped.without[role][scope] = await make(TOKEN_SCOPES.filter((s) => s !== scope));
      }
    }
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('has an entry for every route the server registers', () => {
    const registered = app.registeredRoutes
      .filter((r) => !r.url.startsWith('/api/v1/docs'))
      .map((r) => `${r.method} ${r.url}`);
    const missing = registered.filter((r) => !(r in MATRIX) && !PUBLIC.has(r));
    expect(missing, 'routes without an entry in the authorisation matrix').toEqual([]);
    const stale = Object.keys(MATRIX).filter((k) => !registered.includes(k));
    expect(stale, 'matrix entries for routes that no longer exist').toEqual([]);
    for (const r of app.registeredRoutes.filter((r) => r.public))
      expect(PUBLIC.has(`${r.method} ${r.url}`) || r.url.startsWith('/api/v1/docs')).toBe(true);
  });

  it('names for every route the token scope the server asks of it', () => {
    const unscoped = Object.keys(MATRIX).filter((k) => !scopeOf(k));
    expect(unscoped, 'matrix entries of routes that change something, without a scope').toEqual([]);
    const differ = app.registeredRoutes
      .filter((r) => `${r.method} ${r.url}` in MATRIX)
      .filter((r) => r.scope !== scopeOf(`${r.method} ${r.url}`))
      .map(
        (r) =>
          `${r.method} ${r.url}: the server asks ${r.scope}, the matrix says ${scopeOf(`${r.method} ${r.url}`)}`,
      );
    expect(differ).toEqual([]);
  });

  it('refuses to start with an API route that names no scope', async () => {
    await expect(
      buildApp({
        deps,
        authenticate: authenticateRequest,
        routes: [(api) => api.get('/unscoped', { schema: { tags: ['identity'] } }, async () => ({}))],
      }),
    ).rejects.toThrow('GET /api/v1/unscoped names no token scope');
  });

  it('lets a token through only with the scope the route needs, whatever the role allows', async () => {
    const failures: string[] = [];
    for (const [key, entry] of Object.entries(MATRIX)) {
      if (entry.sessionOnly) continue;
      const [method] = key.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'];
      const scope = scopeOf(key)!;
      // A role that gets through on the organisation's own records, with a token narrowed to the
      // route's scope, and the same role with every scope but that one.
      const role = entry.allowed[0] as Role;
      for (const kind of ['only', 'without'] as const) {
        const f = entry.fresh ? await fixture(a) : shared.a;
        const res = await call(app, scoped[kind][role][scope])(
          method,
          entry.url(f),
          entry.body ? entry.body(f) : method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        const refused = res.status === 401 || res.status === 403 || res.status === 404;
        if (kind === 'only' && refused)
          failures.push(`${key} as ${role} holding only ${scope}: ${res.status} ${res.body?.detail}`);
        if (kind === 'without') {
          const detail = String(res.body?.detail);
          if (res.status !== 403 || !detail.includes(`the ${scope} scope`) || !detail.includes(key))
            failures.push(`${key} as ${role} without ${scope}: ${res.status} ${detail}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('asserts every cell: each role, no credentials and another organisation, on records of both organisations', async () => {
    const failures: string[] = [];
    let cells = 0;
    for (const [key, entry] of Object.entries(MATRIX)) {
      const [method] = key.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'];
      const callers: Caller[] = [...ROLES, 'anonymous', 'other'];
      for (const owner of ['a', 'b'] as const) {
        for (const caller of callers) {
          const f = entry.fresh ? await fixture(owner === 'a' ? a : b) : shared[owner];
          // The caller belongs to org A, except `other`, who belongs to org B.
          const callerOrg = caller === 'other' ? b : a;
          const token = caller === 'anonymous' ? null : caller === 'other' ? b.admin : a[caller];
          const sameOrg = callerOrg === f.org;
          const role: Caller = caller === 'other' ? 'admin' : caller;
          const gate = entry.gate ?? EVERYONE;
          let expected: Cell;
          if (caller === 'anonymous' || entry.sessionOnly) expected = 401;
          else if (!gate.includes(role)) expected = 403;
          else if (!sameOrg) expected = entry.collection ? 'ok' : 404;
          else if (entry.allowed.includes(role)) expected = 'ok';
          else if (entry.hidden?.includes(role)) expected = 404;
          else expected = 403;
          const res = await call(app, token)(
            method,
            entry.url(f),
            entry.body ? entry.body(f) : method === 'GET' || method === 'DELETE' ? undefined : {},
          );
          const got: Cell =
            res.status === 401 || res.status === 403 || res.status === 404 ? res.status : 'ok';
          cells++;
          if (res.status >= 500) failures.push(`${key} as ${caller} on ${owner}'s record: ${res.status}`);
          else if (got !== expected)
            failures.push(
              `${key} as ${caller} on ${owner}'s record: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)?.slice(0, 160)}`,
            );
          else if (got === 403 && !String(res.body?.detail).toLowerCase().includes(actionWords(key)))
            failures.push(
              `${key} as ${caller} on ${owner}'s record: the refusal does not name the action (${actionWords(key)}): ${res.body?.detail}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cells).toBe(Object.keys(MATRIX).length * 2 * 7);
  }, 240_000);

  it('names the action refused, and the role refused it', async () => {
    const audit = await call(app, a.sales)('GET', '/api/v1/audit');
    expect(audit.status).toBe(403);
    expect(audit.body.detail).toBe('The sales role may not read the audit log.');
    const calendar = await call(app, a.operations)('PUT', '/api/v1/calendar', settings.calendar);
    expect(calendar.body.detail).toBe('The operations role may not change the business calendar.');
    const submit = await call(app, a.viewer)('POST', `/api/v1/handoffs/${shared.a.draft}/submit`);
    expect(submit.body.detail).toBe('The viewer role may not submit a handoff.');
  });

  it('scopes every collection to the caller organisation', async () => {
    for (const url of [
      '/api/v1/accounts',
      '/api/v1/contacts',
      '/api/v1/engagements',
      '/api/v1/handoffs',
      '/api/v1/users',
      '/api/v1/teams',
    ]) {
      const mine = (await call(app, b.admin)('GET', url)).body as Json;
      const ids = new Set((mine.items as Json[]).map((i) => i.id));
      for (const id of [
        shared.a.account,
        shared.a.contact,
        shared.a.engagement,
        shared.a.draft,
        a.userIds.sales,
      ]) {
        expect(ids.has(id), `${url} leaks ${id}`).toBe(false);
      }
    }
  });
});

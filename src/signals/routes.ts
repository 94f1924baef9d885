import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, StringEnum } from '../kernel/http/schemas.js';
import {
  SIGNAL_KINDS,
  SignalBatchResultSchema,
  SignalBatchSchema,
  SignalSchema,
  SignalSettingsSchema,
} from './signal-schema.js';
import { ingestSignals } from './use-cases/ingest-signals.js';
import { listSignals } from './use-cases/list-signals.js';
import { getSignalSettings, updateSignalSettings } from './use-cases/signal-settings.js';

/** A batch of 5,000 signals with long ids and features fits with room to spare. */
const SIGNAL_BATCH_BODY_LIMIT = 8 * 1024 * 1024;

/** Usage and support signals about accounts, and the quiet-account settings. */
export function signalRoutes(app: Api, deps: Deps): void {
  const tags = ['signals'];
  app.post(
    '/signals',
    {
      bodyLimit: SIGNAL_BATCH_BODY_LIMIT,
      config: { scope: 'records' },
      schema: {
        operationId: 'ingestSignals',
        summary: 'Post a batch of signals',
        description:
          'Up to 5,000 usage, support, adoption and escalation events about accounts, all or nothing. Each names its account by `account_id` or `account_external_id` (`system:id`). A batch with a malformed item is refused (400) naming each problem; one naming an account not of this organisation is refused (422) naming each such item; nothing is stored then. Idempotent on `event_id`: a signal posted before is counted in `duplicates` and left as it was.',
        tags,
        body: SignalBatchSchema,
        response: { 200: SignalBatchResultSchema, ...errorResponses(400, 403, 422) },
      },
    },
    async (request) => ingestSignals(deps, principalOf(request), request.body.signals),
  );
  app.get(
    '/accounts/:id/signals',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listAccountSignals',
        summary: "An account's signals",
        description: 'Newest first by when they happened, optionally of one kind and within `[from, to)`.',
        tags,
        params: IdParams,
        querystring: Type.Object(
          {
            kind: Type.Optional(StringEnum(SIGNAL_KINDS)),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(SignalSchema) }), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => ({
      items: await listSignals(deps, principalOf(request), request.params.id, request.query),
    }),
  );
  app.get(
    '/signal-settings',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getSignalSettings',
        summary: 'Signal settings',
        description:
          'Days without a usage signal, after go-live, before an account is quiet (30 by default).',
        tags,
        response: { 200: SignalSettingsSchema, ...errorResponses(403) },
      },
    },
    async (request) => getSignalSettings(deps, principalOf(request)),
  );
  app.put(
    '/signal-settings',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateSignalSettings',
        summary: 'Change signal settings',
        description: 'Sets the quiet threshold in days (admins only); audited as `signal_settings.updated`.',
        tags,
        body: SignalSettingsSchema,
        response: { 200: SignalSettingsSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => updateSignalSettings(deps, principalOf(request), request.body),
  );
}

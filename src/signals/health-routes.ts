import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, StringEnum } from '../kernel/http/schemas.js';
import { HEALTH_BANDS } from './domain/health-score.js';
import { AccountHealthSchema, HealthReportSchema, HealthSettingsSchema } from './health-schema.js';
import { getAccountHealth } from './use-cases/account-health.js';
import { healthReport } from './use-cases/health-report.js';
import { getHealthSettings, updateHealthSettings } from './use-cases/health-settings.js';

/** Accounts' health scores, their history and distribution, and how they are computed. */
export function healthRoutes(app: Api, deps: Deps): void {
  const tags = ['health'];
  app.get(
    '/accounts/:id/health',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getAccountHealth',
        summary: "An account's health",
        description:
          "The score now, computed from the account's signals under the organisation's health settings, with each component (null when it has no data, then left out of the score) and its band; `items` are the daily scores, newest first (at most `limit`). See docs/metrics.md, Health.",
        tags,
        params: IdParams,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 90 })) },
          { additionalProperties: false },
        ),
        response: { 200: AccountHealthSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => getAccountHealth(deps, principalOf(request), request.params.id, request.query),
  );
  app.get(
    '/reports/health',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getHealthReport',
        summary: 'The health distribution',
        description:
          "Each account's latest daily score, counted by band and by 10-point bucket, and listed lowest first (a page of `limit` from `offset`); with `band`, of that band only.",
        tags,
        querystring: Type.Object(
          {
            band: Type.Optional(StringEnum(HEALTH_BANDS)),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: HealthReportSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => healthReport(deps, principalOf(request), request.query),
  );
  app.get(
    '/health-settings',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getHealthSettings',
        summary: 'Health settings',
        description:
          'How health is scored: the window in days, a weight per component, the named features whose adoption counts, the lowest score of each band.',
        tags,
        response: { 200: HealthSettingsSchema, ...errorResponses(403) },
      },
    },
    async (request) => getHealthSettings(deps, principalOf(request)),
  );
  app.put(
    '/health-settings',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateHealthSettings',
        summary: 'Change health settings',
        description:
          'Sets how health is scored (admins only), refused whole naming each problem (a weight below 0, every weight 0, a feature named twice, `bands.watch` not below `bands.healthy`); audited as `health_settings.updated`. The accounts are scored again under the new settings.',
        tags,
        body: HealthSettingsSchema,
        response: { 200: HealthSettingsSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => updateHealthSettings(deps, principalOf(request), request.body),
  );
}

import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams } from '../kernel/http/schemas.js';
import { DeadJobSchema } from './dead-jobs.js';
import { listDeadJobs } from './use-cases/list-dead-jobs.js';
import { retryDeadJob } from './use-cases/retry-dead-job.js';

/** The scheduler's dead letters: jobs that failed every attempt, or whose payload could not be read. */
export function schedulerRoutes(app: Api, deps: Deps): void {
  const tags = ['scheduler'];
  app.get(
    '/dead-jobs',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listDeadJobs',
        summary: 'Dead-lettered jobs',
        description:
          "The organisation's jobs that failed every attempt (a mail server, chat webhook or audit witness that kept failing) or whose payload did not fit its kind's schema, newest first, with the last error. Page on with `before` set to the last id of a page (admins only).",
        tags,
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.String({ description: 'Only jobs of this kind' })),
            before: Type.Optional(Type.String({ description: 'Only jobs older than this id' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(DeadJobSchema) }), ...errorResponses(400, 403) },
      },
    },
    async (request) => ({ items: await listDeadJobs(deps, principalOf(request), request.query) }),
  );
  app.post(
    '/dead-jobs/:id/retry',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'retryDeadJob',
        summary: 'Retry a dead-lettered job',
        description:
          'Makes the job pending again, due now, with a fresh count of attempts; audited as `job.retried`. 409 unless it is dead (admins only).',
        tags,
        params: IdParams,
        response: { 200: DeadJobSchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (request) => retryDeadJob(deps, principalOf(request), request.params.id),
  );
}

import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import {
  ChangeOrderActionBody,
  ChangeOrderActionParams,
  ChangeOrderReportQuery,
  ChangeOrderReportSchema,
  ChangeOrderSchema,
  NewChangeOrderBody,
} from './change-order-schema.js';
import { changeOrderReport } from './use-cases/change-order-report.js';
import { identifyChangeOrder } from './use-cases/identify-change-order.js';
import { getChangeOrder, listChangeOrders } from './use-cases/list-change-orders.js';
import { moveChangeOrder } from './use-cases/move-change-order.js';

/** Scope creep: out-of-scope work logged as change orders, their moves, and the capture report. */
export function changeOrderRoutes(app: Api, deps: Deps): void {
  const tags = ['closeout'];
  app.get(
    '/engagements/:id/change-orders',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listChangeOrders',
        summary: 'Change orders of an engagement',
        description:
          'Out-of-scope work logged on the engagement and the change order each became, oldest first.',
        tags,
        params: IdParams,
        response: { 200: Page(ChangeOrderSchema), ...errorResponses(403, 404) },
      },
    },
    async (request) => listChangeOrders(deps, principalOf(request), request.params.id),
  );
  app.post(
    '/engagements/:id/change-orders',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'identifyChangeOrder',
        summary: 'Log out-of-scope work',
        description:
          "Logs work asked for beyond the engagement's scope as a change order, identified: what was asked, who asked (`asked_by_contact_id`, a contact of the engagement's account, or `asked_by_name`), the explicit out-of-scope item it matches (`scope_item_id`, or the one item whose description matches the request), and the estimated amount in minor units of an ISO 4217 currency.",
        tags,
        params: IdParams,
        body: NewChangeOrderBody,
        response: { 201: ChangeOrderSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await identifyChangeOrder(deps, principalOf(request), request.params.id, request.body)),
  );
  app.get(
    '/change-orders/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getChangeOrder',
        summary: 'A change order',
        tags,
        params: IdParams,
        response: { 200: ChangeOrderSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getChangeOrder(deps, principalOf(request), request.params.id),
  );
  app.post(
    '/change-orders/:id/:action',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'moveChangeOrder',
        summary: 'Quote, approve, bill or decline a change order',
        description:
          'identified → quoted (optionally with the `amount_minor` quoted) → approved → billed; declined from any state before billed. Each move records its instant. A move the current state does not allow answers 409 naming the state.',
        tags,
        params: ChangeOrderActionParams,
        body: ChangeOrderActionBody,
        response: { 200: ChangeOrderSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) =>
      moveChangeOrder(
        deps,
        principalOf(request),
        request.params.id,
        request.params.action,
        request.body ?? {},
      ),
  );
  app.get(
    '/reports/change-orders',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'changeOrderReport',
        summary: 'Scope-creep capture report',
        description:
          'Change orders identified in the period (`from`/`to`, UTC days, inclusive; optionally of one engagement): count and amount that reached identified, quoted, approved, billed and declined, and the capture rate (billed ÷ identified) by count and by amount, per currency.',
        tags,
        querystring: ChangeOrderReportQuery,
        response: { 200: ChangeOrderReportSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => changeOrderReport(deps, principalOf(request), request.query),
  );
}

import { recordImportRoutes } from '../accounts/import-routes.js';
import { accountRoutes } from '../accounts/routes.js';
import { auditRoutes } from '../audit/routes.js';
import { calendarRoutes } from '../calendar/routes.js';
import { checkpointRoutes } from '../checkpoints/routes.js';
import { changeOrderRoutes } from '../closeout/change-order-routes.js';
import { closeoutFileRoutes } from '../closeout/file-routes.js';
import { inventoryRoutes } from '../closeout/inventory-routes.js';
import { recordsRoutes } from '../closeout/records-routes.js';
import { vaultRoutes } from '../closeout/vault-routes.js';
import { handoffRoutes } from '../handoffs/routes.js';
import { identityRoutes } from '../identity/routes.js';
import { sessionRoutes } from '../identity/session-routes.js';
import { inboundRoutes } from '../integrations/inbound-routes.js';
import { openApiWebhooks, webhookRoutes } from '../integrations/public.js';
import { exportListsAsCsv } from '../kernel/csv/list-export.js';
import type { RouteModule } from '../kernel/http/build-app.js';
import { metricRoutes } from '../metrics/routes.js';
import { notificationRoutes } from '../notifications/routes.js';
import { playbookRoutes } from '../playbooks/routes.js';
import { suggestionRoutes } from '../playbooks/suggestions/suggestion-routes.js';
import { revenueRoutes } from '../revenue/public.js';
import { schedulerRoutes } from '../scheduler/routes.js';
import { searchRoutes } from '../search/routes.js';
import { healthRoutes } from '../signals/health-routes.js';
import { signalRoutes } from '../signals/routes.js';
import { substanceRoutes } from '../substance/routes.js';
import { summaryRoutes } from '../summary/routes.js';
import { configuredInquiryRoutes } from './inquiry-config.js';
import { configuredPortalRoutes } from './portal-config.js';

/** Every feature's routes, in the order they appear in the OpenAPI document. */
/** What Baton posts to webhook endpoints, for the OpenAPI document's `webhooks`. */
export const OPENAPI_WEBHOOKS = openApiWebhooks();

export const ALL_ROUTES: RouteModule[] = [
  // First: every list registered after it gets its `.csv` twin (the inventory exports itself, under
  // the headers its import reads).
  (app) => exportListsAsCsv(app as never, { except: ['/engagements/:id/inventory'] }),
  playbookRoutes,
  suggestionRoutes,
  accountRoutes,
  handoffRoutes,
  substanceRoutes,
  summaryRoutes,
  checkpointRoutes,
  calendarRoutes,
  identityRoutes,
  auditRoutes,
  sessionRoutes,
  notificationRoutes,
  schedulerRoutes,
  searchRoutes,
  configuredPortalRoutes,
  vaultRoutes,
  closeoutFileRoutes,
  inventoryRoutes,
  recordsRoutes,
  configuredInquiryRoutes,
  recordImportRoutes,
  webhookRoutes,
  inboundRoutes,
  signalRoutes,
  changeOrderRoutes,
  healthRoutes,
  revenueRoutes,
  metricRoutes,
];

import { AppError, type ErrorDetail } from '../kernel/errors.js';
import type { RouteModule } from '../kernel/http/build-app.js';
import { portalRoutes } from '../portal/routes.js';
import { envInt } from './env.js';

/** The client portal's settings, from the environment (documented in the README). */
export interface PortalConfig {
  /** The longest a magic link may be made to last, in days (`BATON_PORTAL_LINK_MAX_DAYS`, 1–365, default 30). */
  maxLinkDays: number;
}

export function readPortalConfig(env: NodeJS.ProcessEnv = process.env): PortalConfig {
  const errors: ErrorDetail[] = [];
  const maxLinkDays = envInt(env, errors, 'BATON_PORTAL_LINK_MAX_DAYS', 30, 1, 365);
  if (errors.length) throw new AppError('validation_failed', 'The configuration is not valid.', errors);
  return { maxLinkDays };
}

/** The portal's routes with the configuration read when the server assembles its routes. */
export const configuredPortalRoutes: RouteModule = (app, deps) => portalRoutes(readPortalConfig())(app, deps);

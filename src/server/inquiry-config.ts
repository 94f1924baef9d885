import { DEFAULT_INQUIRY_MAX_BYTES, inquiryRoutes } from '../integrations/inquiry-routes.js';
import { AppError, type ErrorDetail } from '../kernel/errors.js';
import type { RouteModule } from '../kernel/http/build-app.js';
import { envInt } from './env.js';

/**
 * The inquiry endpoint's settings, from the environment (documented in the README):
 * `BATON_INQUIRY_MAX_BYTES`, the largest e-mail it reads (1 KiB–50 MiB, default 10 MiB).
 */
export function readInquiryConfig(env: NodeJS.ProcessEnv = process.env): { maxBytes: number } {
  const errors: ErrorDetail[] = [];
  const maxBytes = envInt(
    env,
    errors,
    'BATON_INQUIRY_MAX_BYTES',
    DEFAULT_INQUIRY_MAX_BYTES,
    1024,
    50 * 1024 * 1024,
  );
  if (errors.length) throw new AppError('validation_failed', 'The configuration is not valid.', errors);
  return { maxBytes };
}

/** The inquiry routes with the configuration read when the server assembles its routes. */
export const configuredInquiryRoutes: RouteModule = (app, deps) =>
  inquiryRoutes(readInquiryConfig())(app, deps);

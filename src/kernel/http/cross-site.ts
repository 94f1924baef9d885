import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Refuses a request a browser sent on behalf of another site: `Sec-Fetch-Site: cross-site`, or an
 * `Origin` that is not this server's: the public URL's origin when one is configured (a proxy in
 * front may rewrite `Host`), otherwise one whose host is the request's (`Host`, or the
 * `X-Forwarded-Host` of a trusted proxy). Requests without either header (curl, the CLI) pass.
 *
 * Example: `refuseCrossSite(request)` before signing in with a password.
 */
export function refuseCrossSite(request: FastifyRequest): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') {
    throw new AppError('forbidden', 'Cross-site requests are refused.');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let from: URL | null = null;
  try {
    from = origin === 'null' ? null : new URL(origin);
  } catch {
    from = null;
  }
  const publicUrl = request.server.publicUrl;
  const ours = from && (publicUrl ? from.origin === new URL(publicUrl).origin : from.host === request.host);
  if (!ours) throw new AppError('forbidden', 'Requests from another origin are refused.');
}

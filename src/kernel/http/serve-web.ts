import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api } from './build-app.js';

/**
 * What the browser may load on the UI's pages: only this origin. Mantine sets inline styles, and
 * the packet validator shared with the server (Ajv) compiles each playbook's JSON Schema into a
 * function at run time, which needs 'unsafe-eval'; no inline script is allowed.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** True when `root` holds a built UI (`vite build` output). */
export function hasBuiltWebUi(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

/**
 * Serves the built web UI from `root`: hashed assets cached for a year, pages never cached, with
 * security headers. Unknown non-API GETs get index.html (the SPA fallback, see `sendWebPage`).
 */
export async function registerWebUi(app: Api, root: string): Promise<void> {
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    setHeaders(res, path) {
      if (path.includes(`${join('/', 'assets', '/')}`)) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      } else {
        res.setHeader('cache-control', 'no-cache');
      }
      if (path.endsWith('.html')) setPageHeaders((name, value) => res.setHeader(name, value));
    },
  });
}

function setPageHeaders(set: (name: string, value: string) => void): void {
  set('content-security-policy', CSP);
  set('x-content-type-options', 'nosniff');
  set('referrer-policy', 'same-origin');
}

/** A GET for a page of the UI (not the API, not a file): answered with index.html. */
export function isWebPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0]!;
  if (path.startsWith('/api/') || path.startsWith('/problems/') || path === '/healthz') return false;
  if (/\.[a-z0-9]+$/i.test(path)) return false;
  const accept = request.headers.accept ?? '';
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

export function sendWebPage(reply: FastifyReply): FastifyReply {
  setPageHeaders((name, value) => reply.header(name, value));
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
}

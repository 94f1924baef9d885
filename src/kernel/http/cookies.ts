import type { FastifyRequest } from 'fastify';

/** Reads one cookie from a `Cookie` header; undefined when absent or malformed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

/** A `Set-Cookie` value for an HTTP-only, SameSite=Lax cookie on the whole site; max age 0 deletes it. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * Whether a cookie set in answer to `request` must be Secure: the public URL is https, or, with no
 * public URL configured, the request came over https (directly, or as a trusted proxy says).
 */
export function secureCookie(request: FastifyRequest): boolean {
  const publicUrl = request.server.publicUrl;
  return publicUrl ? publicUrl.startsWith('https:') : request.protocol === 'https';
}

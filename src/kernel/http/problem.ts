import type { FastifyError } from 'fastify';
import { type AppErrorCode, assertUnreachable, type ErrorDetail } from '../errors.js';

/** RFC 9457 problem details, as every error of the API is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ErrorDetail[];
  [extra: string]: unknown;
}

/** The one table from domain error codes to HTTP. */
export function statusOf(code: AppErrorCode): number {
  switch (code) {
    case 'validation_failed':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'illegal_transition':
    case 'conflict':
      return 409;
    case 'packet_not_ready':
    case 'invalid_playbook':
      return 422;
    case 'too_many_requests':
      return 429;
    default:
      return assertUnreachable(code);
  }
}

const TITLES: Record<string, string> = {
  'validation-failed': 'The request is not valid',
  unauthenticated: 'Authentication is required',
  forbidden: 'Not allowed',
  'not-found': 'Not found',
  'illegal-transition': 'Not allowed in this state',
  conflict: 'Conflict',
  'packet-not-ready': 'The packet is not ready',
  'invalid-playbook': 'The playbook is not valid',
  'unsupported-media-type': 'Unsupported media type',
  'payload-too-large': 'The request body is too large',
  'method-not-allowed': 'Method not allowed',
  'internal-error': 'Internal error',
  'too-many-requests': 'Too many requests',
  'uri-too-long': 'The URL is too long',
};

/** The stable `type` of a problem: a page this server serves, named by the error's slug. */
export function problemType(slug: string): string {
  return `/problems/${slug}`;
}

export function problem(slug: string, status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: problemType(slug), title: TITLES[slug] ?? 'Error', status, detail, ...extra };
}

export function slugOf(code: AppErrorCode): string {
  return code.replaceAll('_', '-');
}

export function describeProblemTypes(): { slug: string; title: string }[] {
  return Object.entries(TITLES).map(([slug, title]) => ({ slug, title }));
}

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** Turns Fastify's schema-validation errors into `{ path, message }`, one per problem. */
export function validationErrors(error: FastifyError): ErrorDetail[] {
  const context = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  const prefix = context === 'body' ? '' : `/${context}`;
  const seen = new Set<string>();
  const out: ErrorDetail[] = [];
  for (const e of (error.validation ?? []) as AjvLikeError[]) {
    let path = e.instancePath ?? '';
    let message = e.message ?? 'is not valid';
    const params = e.params ?? {};
    if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      path = `${path}/${params.missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path = `${path}/${params.additionalProperty}`;
      message = 'is not a known field';
    } else if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be one of ${params.allowedValues.join(', ')}`;
    } else if (e.keyword === 'anyOf' || e.keyword === 'if') {
      continue;
    }
    const fullPath = `${prefix}${path}` || '/';
    const key = `${fullPath}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: fullPath, message });
  }
  if (out.length === 0) out.push({ path: prefix || '/', message: error.message });
  return out;
}

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
    case 'unprocessable':
      return 422;
    case 'too_many_requests':
      return 429;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
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
  unprocessable: 'The content cannot be accepted',
  'unsupported-media-type': 'Unsupported media type',
  'payload-too-large': 'The request body is too large',
  'method-not-allowed': 'Method not allowed',
  'internal-error': 'Internal error',
  'too-many-requests': 'Too many requests',
  'uri-too-long': 'The URL is too long',
  'not-acceptable': 'No acceptable representation',
  'range-not-satisfiable': 'The range cannot be satisfied',
  'request-refused': 'The request was refused',
};

/** The slug of each status the framework or a plugin may answer with, by what it means. */
const STATUS_SLUGS: Readonly<Record<number, string>> = {
  400: 'validation-failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  416: 'range-not-satisfiable',
  429: 'too-many-requests',
};

/** The stable `type` of a problem: a page this server serves, named by the error's slug. */
export function problemType(slug: string): string {
  return `/problems/${slug}`;
}

export function problem(slug: string, status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: problemType(slug), title: TITLES[slug] ?? 'Error', status, detail, ...extra };
}

/**
 * A 4xx raised by the framework or a plugin rather than by Baton's domain, typed by what its status
 * means: a 403 from a plugin is a refusal, not a validation failure.
 */
export function problemOfStatus(status: number, message: string): Problem {
  const slug = STATUS_SLUGS[status] ?? 'request-refused';
  const detail = status === 400 ? 'The request is not valid.' : message;
  return problem(slug, status, detail, { errors: [{ path: '/', message }] });
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

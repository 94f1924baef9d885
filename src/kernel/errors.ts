/**
 * The one error type of Baton's domain. Use cases throw it; the HTTP edge (and the CLI) render it.
 * Each code says when it fires; `src/kernel/http/problem.ts` maps codes to HTTP statuses.
 */
export type AppErrorCode =
  /** The input does not have the shape or the values the operation needs. */
  | 'validation_failed'
  /** The caller is not authenticated (no token, unknown or revoked token, expired session). */
  | 'unauthenticated'
  /** The caller is known but its role or team may not do this. */
  | 'forbidden'
  /** No such record in the caller's organisation (another organisation's record included). */
  | 'not_found'
  /** The record is not in a state that allows this action. */
  | 'illegal_transition'
  /** The action conflicts with current data (duplicate key, open questions, stale version). */
  | 'conflict'
  /** The packet is not ready to submit: every missing or invalid field is listed. */
  | 'packet_not_ready'
  /** A playbook document does not validate: every error is listed with file, line and path. */
  | 'invalid_playbook'
  /** A document was read but cannot be accepted as a whole (a CSV file's bad rows, each by line); nothing was written. */
  | 'unprocessable'
  /** Too many attempts in a short time (failed sign-ins); `extra.retry_after` says when to retry, in seconds. */
  | 'too_many_requests'
  /** An uploaded file is larger than the configured limit. */
  | 'payload_too_large'
  /** An uploaded file's type (as sniffed from its bytes) is not one the server accepts. */
  | 'unsupported_media_type';

export interface ErrorDetail {
  /** JSON pointer of the offending value, e.g. `/packet/scope/in_scope`. */
  path: string;
  message: string;
  code?: string;
  line?: number;
  column?: number;
  file?: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly errors: ErrorDetail[];
  readonly extra: Record<string, unknown>;

  constructor(
    code: AppErrorCode,
    message: string,
    errors: ErrorDetail[] = [],
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.errors = errors;
    this.extra = extra;
  }
}

/** Shorthand for the common "no such record" error. */
export function notFound(entity: string, id: string): AppError {
  return new AppError('not_found', `No ${entity} with id ${id}.`);
}

/** Exhaustiveness guard for switch statements over closed unions. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unreachable: ${JSON.stringify(value)}`);
}

import type { Deps } from '../../kernel/context.js';
import { AppError, type AppErrorCode, type ErrorDetail } from '../../kernel/errors.js';
import { recordInboundEvent, type SourceRow } from '../inbound-sources.js';

/**
 * Refuses an inbound request: records it as `refused` with the reasons (never the secret, the
 * signature or the body), then throws the problem the sender is answered with.
 */
export async function refuse(
  deps: Deps,
  source: SourceRow,
  now: Date,
  code: AppErrorCode,
  message: string,
  problems: ErrorDetail[],
): Promise<never> {
  await recordInboundEvent(deps.store.db, {
    source,
    externalId: null,
    outcome: 'refused',
    problems,
    summary: message,
    now,
  });
  throw new AppError(code, message, problems);
}

/** Refuses a request whose signature or credentials do not verify (`401`). */
export function refuseUnverified(
  deps: Deps,
  source: SourceRow,
  now: Date,
  failed: { path: string; reason: string } | null,
): Promise<never> {
  return failed
    ? refuse(deps, source, now, 'unauthenticated', 'The request is not signed by this source.', [
        { path: failed.path, message: failed.reason },
      ])
    : refuse(deps, source, now, 'unauthenticated', 'The source has no secret to verify with.', [
        { path: '/', message: 'no secret is set for this source' },
      ]);
}

/** Refuses a body that is not what the source's kind sends (`400`). */
export function refuseMalformed(
  deps: Deps,
  source: SourceRow,
  now: Date,
  problems: ErrorDetail[],
): Promise<never> {
  return refuse(
    deps,
    source,
    now,
    'validation_failed',
    'The request is not a payload this source sends.',
    problems,
  );
}

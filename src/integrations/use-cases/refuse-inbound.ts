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

import type { Deps } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publicDestinationsOnly } from '../../kernel/outbound/destination-guard.js';

/**
 * Refuses an endpoint URL the destination guard would refuse (checked after name resolution:
 * loopback, private, link-local and metadata addresses unless the operator allows them with
 * `BATON_OUTBOUND_ALLOW`). Each send checks again, since a name may resolve elsewhere by then.
 */
export async function requireReachable(deps: Deps, url: string): Promise<void> {
  const verdict = await (deps.destinations ?? publicDestinationsOnly).check(url);
  if (verdict.ok) return;
  throw new AppError('validation_failed', 'The webhook URL points somewhere Baton may not post to.', [
    {
      path: '/url',
      message: verdict.inward
        ? `must not point inside the server's network: ${verdict.reason} (the server's operator may allow it with BATON_OUTBOUND_ALLOW)`
        : `must reach a receiver: ${verdict.reason}`,
    },
  ]);
}

/** The host of a URL, as the audit log records it (a path or password may be a credential). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

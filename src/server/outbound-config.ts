import { AppError } from '../kernel/errors.js';
import { parseAllowList } from '../kernel/outbound/address-ranges.js';
import { createDestinationGuard, type DestinationGuard } from '../kernel/outbound/destination-guard.js';

/**
 * The outbound destination guard of this process, from `BATON_OUTBOUND_ALLOW`: the inward
 * destinations (on-premise chat servers, a local test receiver) the operator lets outbound
 * requests reach. It is the operator's, not an organisation's: on a shared server, a tenant who
 * could allow inward addresses could reach the server's own network.
 */
export function readOutboundGuard(env: NodeJS.ProcessEnv = process.env): DestinationGuard {
  const { list, errors } = parseAllowList(env.BATON_OUTBOUND_ALLOW ?? '');
  if (errors.length)
    throw new AppError(
      'validation_failed',
      'The configuration is not valid.',
      errors.map((message) => ({ path: 'BATON_OUTBOUND_ALLOW', message })),
    );
  return createDestinationGuard({ allow: list });
}

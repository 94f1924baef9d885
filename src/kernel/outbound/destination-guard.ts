import { lookup } from 'node:dns/promises';
import {
  type AllowList,
  allowsAddress,
  allowsName,
  describeKind,
  EMPTY_ALLOW_LIST,
  inwardKind,
  inwardName,
  normaliseHost,
  parseIp,
} from './address-ranges.js';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution, behind an interface so a test can make a name resolve elsewhere later. */
export interface Resolver {
  /** Every address the name resolves to (an error when it resolves to none). */
  lookup(hostname: string): Promise<ResolvedAddress[]>;
}

/** The operating system's resolver (`/etc/hosts`, then DNS), as every other program on the host sees it. */
export const systemResolver: Resolver = {
  async lookup(hostname) {
    const found = await lookup(hostname, { all: true, verbatim: true });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  },
};

/**
 * The verdict on a destination: the addresses a request to it may connect to (every one of them
 * checked), or why it may not be reached.
 */
export type DestinationVerdict =
  | { ok: true; host: string; addresses: ResolvedAddress[] }
  | {
      ok: false;
      reason: string;
      /** True when the destination lies inside the network (an allow list could let it through). */
      inward: boolean;
    };

/**
 * Decides whether an outbound request may go to a URL: refuses destinations inside the network
 * Baton runs in (loopback, private, shared, link-local, unique-local, metadata…) unless the
 * operator allows them. A request must then connect only to the addresses the verdict names, so
 * a name that resolves elsewhere between the check and the connection is never reached.
 */
export interface DestinationGuard {
  check(url: string | URL): Promise<DestinationVerdict>;
}

/**
 * A guard over an allow list and a resolver. Every address a name resolves to must be allowed:
 * a name that answers one public and one private address is refused, since the connection could
 * take either.
 */
export function createDestinationGuard(
  options: { allow?: AllowList; resolver?: Resolver } = {},
): DestinationGuard {
  const allow = options.allow ?? EMPTY_ALLOW_LIST;
  const resolver = options.resolver ?? systemResolver;
  return {
    async check(target) {
      let url: URL;
      try {
        url = typeof target === 'string' ? new URL(target) : target;
      } catch {
        return { ok: false, reason: 'it is not a URL', inward: false };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return { ok: false, reason: 'only http and https destinations are allowed', inward: false };
      const host = normaliseHost(url.hostname.replace(/^\[(.*)\]$/, '$1'));
      const literal = parseIp(host);
      if (literal) {
        const kind = inwardKind(literal);
        if (kind && !allowsAddress(allow, literal))
          return { ok: false, reason: `${host} is ${describeKind(kind)}`, inward: true };
        return { ok: true, host, addresses: [{ address: host, family: literal.length === 4 ? 4 : 6 }] };
      }
      const named = allowsName(allow, host);
      const byName = named ? null : inwardName(host);
      if (byName) return { ok: false, reason: `${host} is refused: ${byName}`, inward: true };
      let addresses: ResolvedAddress[];
      try {
        addresses = await resolver.lookup(host);
      } catch (error) {
        const code = (error as { code?: string }).code;
        return { ok: false, reason: `${host} does not resolve${code ? ` (${code})` : ''}`, inward: false };
      }
      if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve`, inward: false };
      if (named) return { ok: true, host, addresses };
      for (const a of addresses) {
        const bytes = parseIp(a.address);
        if (!bytes)
          return { ok: false, reason: `${host} resolves to ${a.address}, not an address`, inward: false };
        const kind = inwardKind(bytes);
        if (kind && !allowsAddress(allow, bytes))
          return {
            ok: false,
            reason: `${host} resolves to ${a.address}, ${describeKind(kind)}`,
            inward: true,
          };
      }
      return { ok: true, host, addresses };
    },
  };
}

/** The guard used when none is configured: public destinations only, resolved by the system. */
export const publicDestinationsOnly: DestinationGuard = createDestinationGuard();

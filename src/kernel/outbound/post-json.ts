import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DestinationGuard, ResolvedAddress } from './destination-guard.js';

/** The destination guard refused the URL: nothing was sent, and nothing was connected to. */
export class DestinationRefused extends Error {
  constructor(reason: string) {
    super(`Destination refused: ${reason}`);
    this.name = 'DestinationRefused';
  }
}

/**
 * A lookup that answers only the addresses the guard checked, whatever the resolver says by now:
 * the connection goes to the very address that was checked (no DNS rebinding between the two).
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const usable = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
    const first = usable[0];
    if (!first) {
      const error = Object.assign(new Error(`No checked address of ${hostname} for this connection`), {
        code: 'ENOTFOUND',
      });
      callback(error, '', 0);
    } else if (options.all) {
      // Node's types name only the single-address form; with `all` it expects the list.
      (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [...usable]);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/**
 * POSTs a JSON body to a URL the guard allows, connecting only to the addresses it checked.
 * Redirects are not followed (a public URL could redirect inward): anything but a 2xx answer is
 * an error, as is no answer within `timeoutMs`.
 */
export async function postJson(
  guard: DestinationGuard,
  url: string,
  body: unknown,
  options: { headers?: Record<string, string>; timeoutMs: number },
): Promise<{ status: number }> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const verdict = await guard.check(url);
  if (!verdict.ok) throw new DestinationRefused(verdict.reason);
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        protocol: target.protocol,
        hostname: verdict.host,
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': 'application/json',
          'content-length': String(payload.length),
        },
        ...(target.username
          ? { auth: `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` }
          : {}),
        lookup: pinnedLookup(verdict.addresses),
        // A pooled socket would skip the lookup; every post connects on its own.
        agent: false,
        signal,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status });
          else reject(new Error(`${verdict.host} answered ${status} ${res.statusMessage ?? ''}`.trim()));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
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
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
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

/** What a receiver answered: its status, its headers, and the first bytes of its body. */
export interface PostAnswer {
  /** The host connected to, as checked. */
  host: string;
  status: number;
  statusMessage: string;
  headers: Record<string, string | string[] | undefined>;
  /** Up to `excerptBytes` of the body, as UTF-8 text (whole characters). */
  excerpt: string;
}

/**
 * POSTs bytes to a URL the guard allows (checked after name resolution), connecting only to the
 * addresses it checked, and answers whatever the receiver said (any status): for callers that
 * decide themselves what a 410 or a 429 means. Redirects are not followed. Throws
 * `DestinationRefused` when the guard refuses, and the network's error when there is no answer
 * within `timeoutMs`. Reads at most `excerptBytes` of the answer's body.
 */
export async function postBody(
  guard: DestinationGuard,
  url: string,
  body: string,
  options: { headers?: Record<string, string>; timeoutMs: number; excerptBytes: number },
): Promise<PostAnswer> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const verdict = await guard.check(url);
  if (!verdict.ok) throw new DestinationRefused(verdict.reason);
  const target = new URL(url);
  const payload = Buffer.from(body, 'utf8');
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
        agent: false,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < options.excerptBytes) {
            chunks.push(chunk.subarray(0, options.excerptBytes - kept));
            kept += Math.min(chunk.length, options.excerptBytes - kept);
          }
        });
        res.on('end', () =>
          resolve({
            host: verdict.host,
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            headers: res.headers,
            // Whole characters only: a character cut at the limit is left out, not mangled.
            excerpt: new StringDecoder('utf8').write(Buffer.concat(chunks)),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

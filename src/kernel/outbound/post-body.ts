import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DestinationGuard } from './destination-guard.js';
import { DestinationRefused, pinnedLookup } from './post-json.js';

/** What a receiver answered: its status, its headers, and the first bytes of its body. */
export interface PostAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Up to `excerptBytes` of the body, as UTF-8 text. */
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
            status: res.statusCode ?? 0,
            headers: res.headers,
            excerpt: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

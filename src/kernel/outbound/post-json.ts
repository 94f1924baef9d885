import type { DestinationGuard } from './destination-guard.js';
import { postBody } from './post-body.js';

export { DestinationRefused } from './post-body.js';

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
  const answer = await postBody(guard, url, JSON.stringify(body), { ...options, excerptBytes: 0 });
  if (answer.status >= 200 && answer.status < 300) return { status: answer.status };
  throw new Error(`${answer.host} answered ${answer.status} ${answer.statusMessage}`.trim());
}

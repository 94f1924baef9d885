import { type DestinationGuard, publicDestinationsOnly } from '../kernel/outbound/destination-guard.js';
import { postJson } from '../kernel/outbound/post-json.js';

/** Posts a JSON message to a chat webhook (Slack-compatible: `{ "text": "..." }`). */
export interface WebhookSender {
  post(url: string, body: unknown, idempotencyKey: string): Promise<void>;
}

/**
 * A webhook sender bounded by a timeout; anything but a 2xx answer is a failure. Each post
 * checks its destination again at send time (a URL accepted earlier may resolve inward by now)
 * and connects only to the addresses checked. Without a guard, only public destinations.
 */
export function createWebhookSender(
  options: { destinations?: DestinationGuard; timeoutMs?: number } = {},
): WebhookSender {
  const guard = options.destinations ?? publicDestinationsOnly;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async post(url, body, idempotencyKey) {
      await postJson(guard, url, body, { headers: { 'idempotency-key': idempotencyKey }, timeoutMs });
    },
  };
}

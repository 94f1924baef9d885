/** Posts a JSON message to a chat webhook (Slack-compatible: `{ "text": "..." }`). */
export interface WebhookSender {
  post(url: string, body: unknown, idempotencyKey: string): Promise<void>;
}

/** A webhook sender over `fetch`, bounded by a timeout; anything but a 2xx answer is a failure. */
export function createFetchWebhookSender(options: { timeoutMs?: number } = {}): WebhookSender {
  const timeout = options.timeoutMs ?? 10_000;
  return {
    async post(url, body, idempotencyKey) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
      if (!res.ok) throw new Error(`Webhook answered ${res.status} ${res.statusText}`);
      await res.arrayBuffer();
    },
  };
}

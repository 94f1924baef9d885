import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got, as sent, and what the third-party verifier made of it. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  headers: IncomingHttpHeaders;
  /** The status the receiver answered. */
  status: number;
  /** Null when `standardwebhooks` verified it; its error message otherwise. */
  refused: string | null;
}

/** What the receiver answers to one request: a status, with headers (`Retry-After`). */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** The body answered (`ok`, or `no: <status>`, by default). */
  body?: string;
}

/**
 * A real HTTP server on this machine's loopback that receives webhooks as a customer's would: it
 * verifies each request with the `standardwebhooks` package (a third-party implementation of the
 * scheme, not Baton's), keeps everything it got, and answers the scripted answers first (a service
 * that fails, then recovers), 200 after them. A request whose signature does not verify is
 * answered 400. `secret` may be changed (a rotation); while `down`, it answers 500 to everything; `arrived` counts requests as they begin.
 */
export async function startVerifyingReceiver(options: { answers?: Answer[]; delayMs?: number } = {}) {
  const received: ReceivedWebhook[] = [];
  const answers = [...(options.answers ?? [])];
  const state = { secret: '', delayMs: options.delayMs ?? 0, down: false, arrived: 0 };
  const server = createServer(async (req, res) => {
    state.arrived += 1;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : '';
    };
    let refused: string | null = null;
    try {
      new Webhook(state.secret).verify(body, {
        'webhook-id': header('webhook-id'),
        'webhook-timestamp': header('webhook-timestamp'),
        'webhook-signature': header('webhook-signature'),
      });
    } catch (error) {
      refused = error instanceof Error ? error.message : String(error);
    }
    const answer: Answer = state.down
      ? { status: 500 }
      : refused
        ? { status: 400 }
        : (answers.shift() ?? { status: 200 });
    received.push({
      id: header('webhook-id'),
      timestamp: header('webhook-timestamp'),
      signature: header('webhook-signature'),
      body,
      headers: req.headers,
      status: answer.status,
      refused,
    });
    res
      .writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers })
      .end(answer.body ?? (answer.status < 300 ? 'ok' : `no: ${answer.status}`));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/baton`,
    received,
    answers,
    state,
    /** The requests it accepted (2xx): what the customer's system acted on. */
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type VerifyingReceiver = Awaited<ReturnType<typeof startVerifyingReceiver>>;

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseAllowList } from '../../src/kernel/outbound/address-ranges.js';
import { createDestinationGuard } from '../../src/kernel/outbound/destination-guard.js';

/**
 * The destination guard of a server whose operator allows this machine's loopback
 * (`BATON_OUTBOUND_ALLOW=127.0.0.1`), where the test receivers listen: tests that post to them
 * opt in with it, as an on-premise installation would.
 */
export const loopbackAllowed = createDestinationGuard({ allow: parseAllowList('127.0.0.1').list });

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a free local port that keeps every message it is given. */
export async function startSmtpReceiver(): Promise<{
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  // A sender killed mid-conversation resets the connection; that is the test's business, not an error.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedPost {
  path: string;
  idempotencyKey: string | undefined;
  body: unknown;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local HTTP server that records every JSON POST (a chat webhook's stand-in: a real server, not a
 * mock). `statuses` are its answers to the first requests (a service that is down, then back); 200
 * after them. Only the posts it answered with a 2xx are kept.
 */
export async function startWebhookReceiver(
  options: { delayMs?: number; statuses?: number[] } = {},
): Promise<{ url: string; posts: ReceivedPost[]; server: Server; close(): Promise<void> }> {
  const posts: ReceivedPost[] = [];
  const statuses = [...(options.statuses ?? [])];
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const status = statuses.shift() ?? 200;
    const key = req.headers['idempotency-key'];
    if (status >= 200 && status < 300)
      posts.push({
        path: req.url ?? '/',
        idempotencyKey: typeof key === 'string' ? key : undefined,
        body: JSON.parse(text),
      });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'unavailable');
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    posts,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A received message's subject and text body, decoded (quoted-printable or base64) as a mail reader would. */
export function readMail(mail: ReceivedMail): { subject: string; text: string } {
  const split = mail.raw.indexOf('\r\n\r\n');
  const head = mail.raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = mail.raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body, 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r\n/g, '')
              .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8')
        : body;
  // RFC 2047 encoded words, as nodemailer writes a subject that is not plain ASCII.
  const subject = header('Subject').replace(
    /=\?utf-8\?([BQ])\?([^?]*)\?=\s?/gi,
    (_, kind: string, word: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(word, 'base64').toString('utf8')
        : Buffer.from(
            word
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
  );
  return { subject, text: text.replace(/\r\n/g, '\n') };
}

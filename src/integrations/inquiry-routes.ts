import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { reserveAttempt } from '../identity/attempt-limiter.js';
import type { Deps } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, Page, StringEnum } from '../kernel/http/schemas.js';
import {
  INQUIRY_OUTCOMES,
  InquiryFormSchema,
  InquiryReceiptSchema,
  InquirySchema,
} from './inquiry-schema.js';
import { listInquiries } from './use-cases/list-inquiries.js';
import { receiveInquiry } from './use-cases/receive-inquiry.js';

/** How the inquiry routes are configured (`BATON_INQUIRY_MAX_BYTES`, read at the composition root). */
export interface InquiryOptions {
  /** The largest request body the inquiry endpoint reads, attachments included. */
  maxBytes: number;
}

/** 10 MiB: a message with a few attachments; SendGrid's own limit is 30 MB. */
export const DEFAULT_INQUIRY_MAX_BYTES = 10 * 1024 * 1024;

const SourceParams = Type.Object({
  source: Type.String({ maxLength: 64, description: 'The inbound source id' }),
});

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: 'Problem' } } },
});

/**
 * Inquiries after closeout (docs/design-integrations.md): the public inbound-parse endpoint an
 * e-mail provider posts to, proven by the source's secret and counted by the attempt limiter; and
 * the admins' list of every inquiry, with why each was or was not routed.
 */
export function inquiryRoutes(options: InquiryOptions = { maxBytes: DEFAULT_INQUIRY_MAX_BYTES }) {
  return (app: Api, deps: Deps): void => {
    const tags = ['integrations'];

    app.get(
      '/inquiries',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listInquiries',
          summary: 'Inquiries received after closeout',
          description:
            'Every e-mail an inbound-parse source forwarded, newest first: routed (to whom, and whether the client got the reply), unmatched (and why), or refused (a bad signature; nothing of the message is kept). Admins only.',
          tags,
          querystring: Type.Object(
            {
              outcome: Type.Optional(StringEnum(INQUIRY_OUTCOMES)),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
              offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Page(InquirySchema), ...errorResponses(400, 403) },
        },
      },
      async (request) => listInquiries(deps, principalOf(request), request.query),
    );

    // The endpoint reads its body as bytes (Mailgun's signature fields are in it, and SendGrid's
    // Basic credentials are checked before it is parsed): a scope of its own, multipart only.
    const bodies = new WeakMap<FastifyRequest, Buffer>();
    app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        'multipart/form-data',
        { parseAs: 'buffer', bodyLimit: options.maxBytes },
        (request, body, done) => {
          bodies.set(request, body as Buffer);
          done(null, {});
        },
      );
      scope.addContentTypeParser('*', (_request, payload, done) => {
        payload.on('error', () => {});
        payload.resume();
        done(
          new AppError(
            'unsupported_media_type',
            'Send the e-mail as multipart/form-data, as the provider posts it.',
          ),
          undefined,
        );
      });
      const api = scope as unknown as Api;
      api.post(
        '/inbound/inquiry/:source',
        {
          bodyLimit: options.maxBytes,
          config: { public: true },
          schema: {
            operationId: 'receiveInquiry',
            summary: 'Receive an inquiry e-mail (inbound parse)',
            description: `Where an e-mail provider posts each message it receives for the team's parse address (SendGrid Inbound Parse, or a Mailgun route's forward), as multipart/form-data of at most ${options.maxBytes} bytes. Mailgun's \`signature\` must be the hex HMAC-SHA256 of \`timestamp\` + \`token\` with the source's signing key (each token once, the timestamp at most a day old by default); SendGrid's parse URL carries HTTP Basic credentials whose password is the source's secret. A message to an engagement's implementation lead after its closeout becomes a task for the service owner, and the client is sent the playbook's reply introducing them. The same Message-ID again does nothing (\`duplicate: true\`). A request that does not prove itself is recorded as refused and answered 401.`,
            tags,
            security: [],
            params: SourceParams,
            body: { content: { 'multipart/form-data': { schema: InquiryFormSchema } } },
            response: {
              200: InquiryReceiptSchema,
              400: problem('The e-mail cannot be read; `errors` names every problem'),
              401: problem('The signature or the credentials do not verify: recorded as refused'),
              403: problem('The source is disabled'),
              404: problem('No such inbound source'),
              429: problem('Too many refused requests from this address; retry after `Retry-After` seconds'),
            },
          },
        },
        async (request) => {
          const client = request.ip || 'unknown';
          return receiveInquiry(deps, request.params.source, {
            contentType: request.headers['content-type'] ?? '',
            body: bodies.get(request) ?? Buffer.alloc(0),
            ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
            // A refusal stays counted against the address (decision 0002-identity-count-attempts…).
            beforeRefusal: async () => {
              await reserveAttempt(
                deps,
                { subject: `inbound:${client.slice(0, 90)}`, client },
                'inbound requests that prove nothing',
              );
            },
          });
        },
      );
    });
  };
}

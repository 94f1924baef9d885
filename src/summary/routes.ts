import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams } from '../kernel/http/schemas.js';
import { renderSummaryHtml } from './domain/render-html.js';
import { renderSummaryMarkdown } from './domain/render-markdown.js';
import { renderSummaryPdf } from './domain/render-pdf.js';
import { getSummarySheet } from './use-cases/get-summary-sheet.js';

/** The print view's own styles only; it may be framed by the web UI of the same origin. */
const PRINT_VIEW_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** The one-page handoff summary sheet, as a print view (HTML), Markdown or PDF. */
export function summaryRoutes(app: Api, deps: Deps): void {
  app.get(
    '/handoffs/:id/summary',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getHandoffSummary',
        summary: 'Handoff summary sheet',
        description:
          'The one-page summary of a handoff (packet, promises, scope, people, success ladder). `format=html` (default) is a printable page; `format=md` is Markdown; `format=pdf` is an A4 PDF.',
        tags: ['handoffs'],
        params: IdParams,
        querystring: Type.Object(
          {
            format: Type.Optional(
              Type.Union([Type.Literal('html'), Type.Literal('md'), Type.Literal('pdf')]),
            ),
          },
          { additionalProperties: false },
        ),
        produces: ['text/html', 'text/markdown', 'application/pdf'],
        response: {
          200: {
            description: 'The summary sheet',
            content: {
              'text/html': { schema: Type.String() },
              'text/markdown': { schema: Type.String() },
              'application/pdf': { schema: Type.String({ contentMediaType: 'application/pdf' }) },
            },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const sheet = await getSummarySheet(deps, principalOf(request), request.params.id);
      // User text is escaped in every format; the browser is also told not to guess a type and,
      // for the print view, to run nothing and load nothing.
      reply.header('x-content-type-options', 'nosniff');
      if (request.query.format === 'pdf') {
        const name = sheet.title.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'handoff';
        const pdf = await renderSummaryPdf(sheet);
        // The response schema types the body as text; a PDF is sent as the bytes it is.
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${name}-summary.pdf"`)
          .send(pdf as unknown as string);
      }
      if (request.query.format === 'md') {
        return reply.type('text/markdown; charset=utf-8').send(renderSummaryMarkdown(sheet));
      }
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', PRINT_VIEW_POLICY)
        .send(renderSummaryHtml(sheet));
    },
  );
}

import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses } from '../kernel/http/schemas.js';
import { MAX_SEARCH_TEXT } from './domain/search-text.js';
import { SearchResultsSchema } from './search-schema.js';
import { DEFAULT_SEARCH_LIMIT, search } from './use-cases/search.js';

/** The global search: one GET, what the caller may read, bounded per kind. */
export function searchRoutes(app: Api, deps: Deps): void {
  app.get(
    '/search',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'search',
        summary: 'Search the organisation',
        description:
          'Handoffs (by title), accounts, engagements (by name) and people (contacts and users, by name or e-mail address) whose text contains `q` in any case (the letters A–Z folded), those starting with it first, then those with a word starting with it. At most `limit` of each kind.',
        tags: ['search'],
        querystring: Type.Object(
          {
            q: Type.String({
              minLength: 1,
              maxLength: MAX_SEARCH_TEXT,
              pattern: '\\S',
              description: 'The text to look for: part of a name, title or e-mail address',
            }),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: DEFAULT_SEARCH_LIMIT })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SearchResultsSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => search(deps, principalOf(request), request.query),
  );
}

import { Type } from 'typebox';
import type { Deps } from '../../kernel/context.js';
import { type Api, principalOf } from '../../kernel/http/build-app.js';
import { errorResponses } from '../../kernel/http/schemas.js';
import { SUGGESTION_THRESHOLDS } from './domain/review-suggestions.js';
import { draftSuggestion } from './draft-suggestion.js';
import { listSuggestions } from './list-suggestions.js';
import { DraftRequestSchema, PlaybookDraftSchema, PlaybookSuggestionsSchema } from './suggestion-schema.js';

const KeyParams = Type.Object({ key: Type.String({ maxLength: 100 }) });
const thresholds = `at least ${SUGGESTION_THRESHOLDS.minReviews} reviews and a gap rate of at least ${SUGGESTION_THRESHOLDS.minGapPercent}%`;

/** Suggestions from the 72-hour reviews, and drafts of a playbook's next version that make one. */
export function suggestionRoutes(app: Api, deps: Deps): void {
  const tags = ['playbooks'];
  app.get(
    '/playbooks/:key/suggestions',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listPlaybookSuggestions',
        summary: "List a playbook's suggestions",
        description: `The fields of the latest version that follow-up (72-hour) reviews compared, worst gap rate first. A field's figures count the reviews of the versions since it took its current form (\`since_version\`); with ${thresholds}, it has a suggestion: make an optional field required, give a required field without a prompt one, or else sharpen its prompt. Reviewed fields the latest version no longer has are listed as \`unmatched\`. Admins only.`,
        tags,
        params: KeyParams,
        response: { 200: PlaybookSuggestionsSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => listSuggestions(deps, principalOf(request), request.params.key),
  );

  app.post(
    '/playbooks/:key/suggestions/:suggestion/draft',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'draftPlaybookSuggestion',
        summary: 'Draft the next version with a suggestion',
        description:
          "Makes the draft of the playbook's next version with the suggested change: the installed YAML document with the field's line changed or added and `version` moved on, checked by the playbook checker, what it defines, and the line diff from the installed document. Nothing is installed: post the draft's `source` to `POST /api/v1/playbooks` to install it. `version` is the version the suggestions were read for (409 when the playbook has moved on since); `prompt` is the prompt text, for `prompt` and `sharpen` suggestions. 404 when the reviews suggest no such change. Admins only.",
        tags,
        params: Type.Object({
          key: Type.String({ maxLength: 100 }),
          suggestion: Type.String({ maxLength: 300 }),
        }),
        body: DraftRequestSchema,
        response: { 200: PlaybookDraftSchema, ...errorResponses(400, 403, 404, 409, 422, 429) },
      },
    },
    async (request) =>
      draftSuggestion(
        deps,
        principalOf(request),
        request.params.key,
        request.params.suggestion,
        request.body,
      ),
  );
}

import { canonicalJson } from '../../kernel/canonical-json.js';
import type { Deps } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { playbookDefinition } from '../domain/definition-mapping.js';
import { invalidPlaybook } from '../use-cases/upload-playbook.js';
import { validatePlaybook } from '../use-cases/validate-playbook.js';
import { draftSource } from './domain/draft-source.js';
import { diffHunks } from './domain/line-diff.js';
import { parseSuggestionKey, type Suggestion, withChange } from './domain/review-suggestions.js';
import { readSuggestions } from './review-figures.js';
import type { DraftRequest, PlaybookDraft } from './suggestion-schema.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** What is wrong with the prompt text for this suggestion, by path; [] when nothing. */
function promptProblems(suggestion: Suggestion, prompt: string | undefined) {
  const problems: { path: string; message: string }[] = [];
  if (suggestion.kind === 'require') {
    if (prompt !== undefined) {
      problems.push({ path: '/prompt', message: 'making a field required takes no prompt; leave it out' });
    }
    return problems;
  }
  if (prompt === undefined)
    problems.push({ path: '/prompt', message: 'write the prompt the field should ask' });
  else if (!/\S/.test(prompt)) problems.push({ path: '/prompt', message: 'must not be blank' });
  else if (CONTROL.test(prompt)) {
    problems.push({ path: '/prompt', message: 'must be one line, without control characters' });
  } else if (prompt !== prompt.trim()) {
    problems.push({ path: '/prompt', message: 'must not begin or end with spaces' });
  } else if (prompt === suggestion.change.from) {
    problems.push({ path: '/prompt', message: 'is the prompt the field has now; sharpen it' });
  }
  return problems;
}

/**
 * The draft of a playbook's next version with one suggestion made: its YAML document (the
 * installed one with the attribute's line changed or added and the version moved on), checked by
 * the playbook checker, what it defines, and the line diff from the installed document. Nothing is
 * written: the admin installs the draft's `source` through `POST /playbooks`, as any document.
 *
 * Refuses: 409 when the playbook has moved on from `version` (the figures were for another
 * version); 404 when the reviews do not suggest `suggestionKey` for the latest version; 422 when
 * the prompt text is missing or unfit, or the document cannot be edited to make exactly this change.
 */
export async function draftSuggestion(
  deps: Deps,
  principal: Principal,
  key: string,
  suggestionKey: string,
  input: DraftRequest,
): Promise<PlaybookDraft> {
  requireCapability(principal, 'manage_playbooks', 'draft playbook versions');
  const { latest, suggestions } = await readSuggestions(deps.store.db, principal.orgId, key);
  if (input.version !== latest.version) {
    const message = `Playbook ${key} has moved on to version ${latest.version} since the suggestions for version ${input.version}; read them again.`;
    throw new AppError('conflict', message, [
      { path: '/version', message: `the latest version is ${latest.version}` },
    ]);
  }
  const suggestion = parseSuggestionKey(suggestionKey)
    ? suggestions.fields.find((f) => f.suggestion?.key === suggestionKey)?.suggestion
    : undefined;
  if (!suggestion) {
    throw new AppError(
      'not_found',
      `The 72-hour reviews suggest no change ${suggestionKey} to version ${latest.version} of playbook ${key}.`,
    );
  }
  const problems = promptProblems(suggestion, input.prompt);
  if (problems.length > 0) {
    throw new AppError('unprocessable', `The ${suggestion.kind} suggestion needs another prompt.`, problems);
  }
  const expected = withChange(latest.playbook, suggestion, input.prompt);
  const value = suggestion.kind === 'require' ? true : (input.prompt as string);
  const draft = draftSource(latest.source, suggestion.change.pointer, value, expected.version);
  const unwritable = (reason: string) =>
    new AppError(
      'unprocessable',
      `Version ${latest.version} of playbook ${key} cannot be edited to make this change (${reason}); edit its document by hand.`,
      [{ path: suggestion.change.pointer, message: reason }],
    );
  if (!draft.ok) throw unwritable(draft.reason);
  const checked = await validatePlaybook(draft.source, `${key}.yaml`);
  if (!checked.ok) throw invalidPlaybook(checked);
  // The edited document must mean exactly the change: an anchor shared with another field would not.
  if (canonicalJson(checked.playbook) !== canonicalJson(expected)) {
    throw unwritable('the edited document would change more than this field');
  }
  return {
    suggestion_key: suggestion.key,
    playbook_key: key,
    from_version: latest.version,
    version: expected.version,
    source: draft.source,
    definition: playbookDefinition(expected),
    change: { ...suggestion.change, to: suggestion.kind === 'require' ? true : null },
    diff: diffHunks(latest.source, draft.source).map((h) => ({
      old_start: h.oldStart,
      new_start: h.newStart,
      lines: h.lines.map((l) => ({
        op: l.op,
        text: l.text,
        ...(l.oldLine !== undefined ? { old_line: l.oldLine } : {}),
        ...(l.newLine !== undefined ? { new_line: l.newLine } : {}),
      })),
    })),
  };
}

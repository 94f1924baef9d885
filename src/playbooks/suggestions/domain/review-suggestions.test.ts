import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBuiltinPlaybooks } from '../../builtin/load-builtins.js';
import type { Playbook } from '../../domain/playbook.js';
import {
  crossesThresholds,
  type GapFigure,
  parseSuggestionKey,
  SUGGESTION_THRESHOLDS,
  suggestionsFor,
  withChange,
} from './review-suggestions.js';

const ps = loadBuiltinPlaybooks().find((b) => b.playbook.key === 'professional-services')!.playbook;
const T = 'sales-to-delivery';
const fig = (field: string, reviews: number, gaps: number, version = 1): GapFigure => ({
  transition: T,
  field,
  version,
  reviews,
  gaps,
});

describe('suggestions from 72-hour review figures', () => {
  it('suggests at 5 reviews and 30% gaps, both inclusive, and not below either', () => {
    expect(SUGGESTION_THRESHOLDS).toEqual({ minReviews: 5, minGapPercent: 30 });
    // By hand: 2/5 = 40% ≥ 30%; 2/6 = 33.3% ≥ 30%; 3/10 = 30% exactly; 2/7 = 28.6% < 30%; 4 reviews are too few.
    expect(crossesThresholds(5, 2)).toBe(true);
    expect(crossesThresholds(6, 2)).toBe(true);
    expect(crossesThresholds(10, 3)).toBe(true);
    expect(crossesThresholds(7, 2)).toBe(false);
    expect(crossesThresholds(4, 4)).toBe(false);
    expect(crossesThresholds(5, 1)).toBe(false);
  });

  it('makes an optional field required, prompts a required one without a prompt, else sharpens', () => {
    const out = suggestionsFor(
      [ps],
      [
        fig('promises.promises', 5, 2), // optional → require
        fig('scope.in_scope', 6, 2), // required, help but no prompt → prompt
        fig('goal.client_goal', 10, 3), // required with a prompt → sharpen
        fig('goal.success_metric', 7, 2), // 28.6%: no suggestion
        fig('people.buyer', 4, 4), // too few reviews
        fig('gone.field', 9, 9), // not in the playbook
      ],
    );
    expect(out.version).toBe(1);
    expect(
      out.fields.map((f) => [f.field, f.reviews, f.gaps, f.gapRate.toFixed(3), f.suggestion?.key ?? null]),
    ).toEqual([
      ['people.buyer', 4, 4, '1.000', null],
      ['promises.promises', 5, 2, '0.400', `require:${T}.promises.promises`],
      ['scope.in_scope', 6, 2, '0.333', `prompt:${T}.scope.in_scope`],
      ['goal.client_goal', 10, 3, '0.300', `sharpen:${T}.goal.client_goal`],
      ['goal.success_metric', 7, 2, '0.286', null],
    ]);
    expect(out.unmatched).toEqual([{ transition: T, field: 'gone.field', reviews: 9, gaps: 9, gapRate: 1 }]);
    const [, require, prompt, sharpen] = out.fields;
    expect(require?.label).toBe('Promises made during the sales cycle');
    expect(require?.suggestion?.change).toEqual({
      pointer: '/transitions/0/sections/3/fields/0/required',
      attribute: 'required',
      from: false,
      to: true,
    });
    expect(prompt?.suggestion?.change).toEqual({
      pointer: '/transitions/0/sections/1/fields/0/prompt',
      attribute: 'prompt',
      from: null,
      to: null,
    });
    expect(sharpen?.suggestion?.change.from).toBe(
      'If we asked the buyer tomorrow why they signed, what exactly would they say?',
    );
  });

  it('counts the reviews since the field took its current form, and starts afresh once a suggestion is installed', () => {
    const v1 = { ...ps, version: 1 };
    const v2 = { ...structuredClone(ps), version: 2, name: 'Renamed' }; // the field is unchanged
    const figures = [fig('promises.promises', 3, 1, 1), fig('promises.promises', 3, 2, 2)];
    const before = suggestionsFor([v2, v1], figures);
    expect(before.fields[0]).toMatchObject({ reviews: 6, gaps: 3, sinceVersion: 1 });
    const suggestion = before.fields[0]!.suggestion!;
    const v3 = withChange(v2, suggestion);
    expect(v3.version).toBe(3);
    const after = suggestionsFor([v1, v2, v3], [...figures, fig('promises.promises', 1, 0, 3)]);
    expect(after.fields[0]).toMatchObject({ reviews: 1, gaps: 0, sinceVersion: 3, suggestion: null });
  });

  it('holds for any figures: thresholds decide, every reviewed field is listed once, rates are 0–1', () => {
    const fieldKeys = ps.transitions[0]!.sections.flatMap((s) => s.fields.map((f) => `${s.key}.${f.key}`));
    const figure = fc
      .record({
        transition: fc.constantFrom(T, 'other-transition'),
        field: fc.oneof(fc.constantFrom(...fieldKeys), fc.constantFrom('x.y', 'goal.gone')),
        version: fc.constant(1),
        reviews: fc.integer({ min: 1, max: 40 }),
        gaps: fc.nat(40),
      })
      .map((f) => ({ ...f, gaps: Math.min(f.gaps, f.reviews) }));
    fc.assert(
      fc.property(fc.array(figure, { maxLength: 25 }), (figures) => {
        const out = suggestionsFor([ps], figures);
        const listed = [...out.fields, ...out.unmatched];
        const total = (xs: { reviews: number }[]) => xs.reduce((n, x) => n + x.reviews, 0);
        expect(total(listed)).toBe(total(figures));
        expect(new Set(listed.map((f) => `${f.transition} ${f.field}`)).size).toBe(listed.length);
        for (const f of out.fields) {
          expect(f.gapRate).toBeGreaterThanOrEqual(0);
          expect(f.gapRate).toBeLessThanOrEqual(1);
          expect(f.suggestion !== null).toBe(crossesThresholds(f.reviews, f.gaps));
          if (f.suggestion) {
            expect(parseSuggestionKey(f.suggestion.key)).toEqual({
              kind: f.suggestion.kind,
              transition: f.transition,
              field: f.field,
            });
            const next = withChange(ps, f.suggestion, 'What would the client say?');
            const again = suggestionsFor([ps, next], figures).fields.find((g) => g.field === f.field);
            // Installed, the field's count starts afresh: the old reviews suggest nothing more.
            expect(again).toBeUndefined();
          }
        }
        for (let i = 1; i < out.fields.length; i++) {
          expect(out.fields[i - 1]!.gapRate).toBeGreaterThanOrEqual(out.fields[i]!.gapRate);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the playbook it changes as it was', () => {
    const copy: Playbook = structuredClone(ps);
    const s = suggestionsFor([ps], [fig('promises.promises', 5, 5)]).fields[0]!.suggestion!;
    const next = withChange(ps, s);
    expect(ps).toEqual(copy);
    expect(next.transitions[0]!.sections[3]!.fields[0]!.required).toBe(true);
  });

  it('reads suggestion keys strictly', () => {
    expect(parseSuggestionKey('require:a-b.c_d.e')).toEqual({
      kind: 'require',
      transition: 'a-b',
      field: 'c_d.e',
    });
    for (const bad of ['require:scope.in_scope', 'make:a.b.c', 'require:a.b.c.d', '', 'require:A.b.c'])
      expect(parseSuggestionKey(bad)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { EXAMPLE_PACKETS } from '../../../test/support/example-packets.js';
import { loadBuiltinPlaybooks } from '../../playbooks/builtin/load-builtins.js';
import { renderSummaryHtml } from './render-html.js';
import { renderSummaryMarkdown } from './render-markdown.js';
import { renderSummaryPdf } from './render-pdf.js';
import { packetRecords, type SheetInput, summarySheetOf } from './summary-sheet.js';

const transitions = loadBuiltinPlaybooks().flatMap(({ playbook }) =>
  playbook.transitions.map((transition) => ({ playbook, transition })),
);

/** A sheet of an example packet: a draft, or submitted and decided with records as the packet left them. */
function sheetOf(index: number, submitted: boolean) {
  const { playbook, transition } = transitions[index]!;
  const packet = EXAMPLE_PACKETS[playbook.key]![transition.key]!;
  const input: SheetInput = {
    handoff: {
      title: `${playbook.name}: ${transition.name}`,
      state: submitted ? 'accepted' : 'draft',
      revision: submitted ? 2 : 0,
      submittedAt: submitted ? '2026-03-03T14:05:00.000Z' : null,
      decidedAt: submitted ? '2026-03-04T09:30:00.000Z' : null,
      decision: submitted
        ? { outcome: 'accepted', reason: null, explanation: 'Complete.', at: '2026-03-04T09:30:00.000Z' }
        : null,
    },
    playbook: { key: playbook.key, version: 1, name: playbook.name },
    transition,
    stages: { from: transition.from, to: transition.to },
    teams: { sending: 'Sales', receiving: 'Operations' },
    account: 'Harbor Logistics',
    engagement: { name: 'Riverside', stage: null, contractSignedAt: '2026-03-02T16:00:00.000Z' },
    packet,
    records: submitted ? packetRecords(transition, packet) : null,
    openQuestions: submitted ? [] : [{ body: 'Which site first?', path: '/scope/sites' }],
    formats: { locale: 'en-GB', timeZone: 'Europe/London' },
    now: new Date('2026-03-05T10:00:00.000Z'),
  };
  return summarySheetOf(input);
}

/** The pages of a PDF, by its page objects. */
const pagesOf = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

describe('the one-page summary of every built-in transition', () => {
  it.each(transitions.map((t, i) => [`${t.playbook.key}/${t.transition.key}`, i] as const))(
    '%s prints on exactly one A4 page, drafted and decided',
    async (_name, index) => {
      for (const submitted of [false, true]) {
        const pdf = await renderSummaryPdf(sheetOf(index, submitted));
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        expect(pagesOf(pdf)).toBe(1);
      }
    },
  );

  it.each(transitions.map((t, i) => [`${t.playbook.key}/${t.transition.key}`, i] as const))(
    '%s leaves out what is empty, prints no glyph stand-ins, and formats dates for people',
    (_name, index) => {
      const sheet = sheetOf(index, true);
      for (const text of [renderSummaryHtml(sheet), renderSummaryMarkdown(sheet)]) {
        expect(text).not.toMatch(/not given|\[x\]|\[ \]|->|☑|☐/);
        expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
        expect(text).toContain('2 Mar 2026, 16:00');
      }
      for (const section of sheet.sections)
        for (const field of section.fields) expect(field.value.kind, field.label).not.toBe('empty');
    },
  );

  it('tells the goal, scope and promises of a draft from its packet, and names only the people it names', () => {
    const index = transitions.findIndex(
      (t) => t.playbook.key === 'professional-services' && t.transition.key === 'sales-to-delivery',
    );
    const sheet = sheetOf(index, false);
    expect(sheet.goal).toBeTruthy();
    expect(sheet.scope.in.length).toBeGreaterThan(0);
    expect(sheet.promises.length).toBeGreaterThan(0);
    expect(sheet.people.length).toBeGreaterThan(0);
    expect(sheet.risks).toContain('Open question on /scope/sites: Which site first?');
    // A field shown in a block of its own is not repeated under its section.
    const labels = sheet.sections.flatMap((s) => s.fields.map((f) => f.label));
    const { transition } = transitions[index]!;
    for (const field of transition.sections.flatMap((s) => s.fields))
      if (field.mapsTo || field.type === 'contact' || field.type === 'date')
        expect(labels).not.toContain(field.label);
  });
});

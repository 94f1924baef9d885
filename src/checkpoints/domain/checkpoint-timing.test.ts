import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../calendar/domain/business-calendar.js';
import { type DueExpression, parseDueExpression } from '../../calendar/domain/due-expression.js';
import { settingsOfTransition } from './checkpoint-settings.js';
import { plannedTimeline, timingOf } from './checkpoint-timing.js';

const calendar = defaultCalendar('UTC');
const expr = (text: string): DueExpression => {
  const parsed = parseDueExpression(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};
const MONDAY = new Date('2026-03-02T10:00:00.000Z');
const iso = (t: { due: Date; opensAt: Date }) => ({
  due: t.due.toISOString(),
  opensAt: t.opensAt.toISOString(),
});

describe('when a checkpoint is due and when its window opens', () => {
  it('opens a task as soon as it opens', () => {
    const t = timingOf(
      { kind: 'task', due: expr('2 business days after accepted') },
      MONDAY,
      MONDAY,
      calendar,
    );
    expect(iso(t)).toEqual({ due: '2026-03-04T10:00:00.000Z', opensAt: '2026-03-02T10:00:00.000Z' });
  });

  it('opens a look back one working day before it is due, unless the playbook says when', () => {
    const check = { kind: 'satisfaction_check' as const, due: expr('30 days after accepted') };
    expect(iso(timingOf(check, MONDAY, MONDAY, calendar))).toEqual({
      due: '2026-04-01T10:00:00.000Z',
      opensAt: '2026-03-31T10:00:00.000Z',
    });
    expect(
      iso(timingOf({ ...check, opens: expr('4 weeks after accepted') }, MONDAY, MONDAY, calendar)),
    ).toEqual({
      due: '2026-04-01T10:00:00.000Z',
      opensAt: '2026-03-30T10:00:00.000Z',
    });
    // Never before what it looks back on.
    const short = { kind: 'follow_up_review' as const, due: expr('2 hours after visit') };
    expect(iso(timingOf(short, MONDAY, MONDAY, calendar)).opensAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('never opens a window after the due time', () => {
    const call = { kind: 'confirmation_call' as const, due: expr('24 hours before first_visit') };
    const visit = new Date('2026-03-05T09:00:00.000Z');
    expect(iso(timingOf(call, visit, MONDAY, calendar))).toEqual({
      due: '2026-03-04T09:00:00.000Z',
      opensAt: '2026-03-02T10:00:00.000Z',
    });
    expect(iso(timingOf(call, visit, visit, calendar)).opensAt).toBe('2026-03-04T09:00:00.000Z');
  });

  it('plans one due before another with it, from its due time', () => {
    const settings = settingsOfTransition([
      { key: 'debrief', name: 'Debrief', kind: 'meeting', due: '1 business day before closeout' },
      { key: 'closeout', name: 'Closeout', kind: 'meeting', due: '5 business days after accepted' },
      { key: 'review', name: 'Review', kind: 'task', due: '2 days after closeout' },
      { key: 'loop_a', name: 'A', due: 'before loop_b' },
      { key: 'loop_b', name: 'B', due: 'before loop_a' },
    ]);
    const plan = plannedTimeline(settings, MONDAY, calendar);
    expect(Object.fromEntries([...plan].map(([k, t]) => [k, iso(t)]))).toEqual({
      debrief: { due: '2026-03-06T10:00:00.000Z', opensAt: '2026-03-02T10:00:00.000Z' },
      closeout: { due: '2026-03-09T10:00:00.000Z', opensAt: '2026-03-02T10:00:00.000Z' },
      review: { due: '2026-03-11T10:00:00.000Z', opensAt: '2026-03-09T10:00:00.000Z' },
    });
  });

  it('requires what is open at the close by default, and keeps look-backs and what opens at the close', () => {
    const settings = settingsOfTransition([
      { key: 'kickoff', name: 'Kickoff', kind: 'meeting', due: '5 business days after accepted' },
      { key: 'rating', name: 'Rating', kind: 'satisfaction_check', due: '30 days after accepted' },
      { key: 'survey', name: 'Survey', due: '1 business day after closed' },
      { key: 'survey_prep', name: 'Survey prep', due: '2 hours before survey' },
      { key: 'optional', name: 'Optional', due: '1 day after accepted', onClose: 'waive' },
    ]);
    expect(settings.map((s) => `${s.key}: ${s.onClose}`)).toEqual([
      'kickoff: require',
      'rating: keep',
      'survey: keep',
      'survey_prep: keep',
      'optional: waive',
    ]);
  });
});

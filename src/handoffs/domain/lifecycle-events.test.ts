import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuestionsTable } from '../../kernel/db/schema.js';
import { HANDOFF_EVENT_TYPES, type HandoffFact } from './handoff-facts.js';
import {
  type CommandType,
  draft,
  EMITS,
  HANDOFF_STATES,
  type HandoffCommand,
  type Issue,
  type Sides,
  transition,
} from './lifecycle.js';

// The oracle, written from the issue ("handoff drafted, submitted, questioned, answered, amended,
// accepted, rejected, withdrawn, delivery started, closed") and the audit actions these events
// have always been recorded as: what each command produces when it succeeds.
const EXPECTED: Record<CommandType, string> = {
  edit: 'handoff.packet_edited', // amended
  submit: 'handoff.submitted',
  ask: 'handoff.question_asked', // questioned
  answer: 'handoff.question_answered', // answered
  amend: 'handoff.amended', // amended (a field corrected in an answer)
  accept: 'handoff.accepted',
  reject: 'handoff.rejected',
  withdraw: 'handoff.withdrawn',
  start_delivery: 'handoff.delivery_started',
  close: 'handoff.closed',
};

const question = (state: string, answer: string | null): QuestionsTable => ({
  id: 'q1',
  org_id: 'o1',
  handoff_id: 'h1',
  path: '/packet/scope/in_scope',
  body: 'Which sites?',
  revision: 1,
  asked_by: 'u2',
  asked_at: '2026-03-02T10:00:00.000Z',
  state,
  answer,
  answered_by: answer === null ? null : 'u1',
  answered_at: answer === null ? null : '2026-03-02T11:00:00.000Z',
  amended_revision: null,
});

const issueArb: fc.Arbitrary<Issue> = fc.record({ path: fc.constant('/goal'), message: fc.string() });
const noteArb = fc.option(fc.string({ maxLength: 20 }), { nil: null });
const textArb = fc.constantFrom('Scope is unclear.', '  padded  ', '', ' ');

/** Any command, with any guard inputs and any data for its event. */
const commandArb: fc.Arbitrary<HandoffCommand> = fc.oneof(
  fc
    .dictionary(fc.constantFrom('goal.client_goal', 'scope'), fc.jsonValue())
    .map((after): HandoffCommand => ({ type: 'edit', fields: { before: {}, after } })),
  fc
    .record({ issues: fc.array(issueArb, { maxLength: 2 }), packet: fc.constant({ goal: { a: 1 } }) })
    .map((c): HandoffCommand => ({ type: 'submit', ...c })),
  fc.constant<HandoffCommand>({ type: 'ask', question: question('open', null) }),
  fc.constant<HandoffCommand>({ type: 'answer', question: question('answered', 'North and south.') }),
  fc
    .record({ openQuestions: fc.nat(2), note: noteArb })
    .map((c): HandoffCommand => ({ type: 'accept', ...c })),
  fc
    .record({
      reasonCode: fc.constantFrom('scope_unclear', 'other'),
      explanation: textArb,
      catalogue: fc.constant(['scope_unclear']),
    })
    .map((c): HandoffCommand => ({ type: 'reject', ...c })),
  fc.record({ issues: fc.array(issueArb, { maxLength: 2 }), packet: fc.constant({ goal: { a: 2 } }) }).map(
    (c): HandoffCommand => ({
      type: 'amend',
      fields: { before: { 'goal.a': 1 }, after: { 'goal.a': 2 } },
      questionId: 'q1',
      ...c,
    }),
  ),
  noteArb.map((note): HandoffCommand => ({ type: 'withdraw', note })),
  noteArb.map((note): HandoffCommand => ({ type: 'start_delivery', note })),
  noteArb.map((note): HandoffCommand => ({ type: 'close', note })),
);
const sidesArb: fc.Arbitrary<Sides> = fc.record({ sender: fc.boolean(), receiver: fc.boolean() });

/** The facts of its event a command carries, as the event must repeat them. */
function factsOf(command: HandoffCommand): Record<string, unknown> {
  switch (command.type) {
    case 'edit':
      return { fields: command.fields };
    case 'submit':
      return { packet: command.packet };
    case 'ask':
    case 'answer':
      return { question: command.question };
    case 'amend':
      return { fields: command.fields, packet: command.packet, questionId: command.questionId };
    case 'reject':
      return { reasonCode: command.reasonCode, explanation: command.explanation.trim() };
    case 'accept':
    case 'withdraw':
    case 'start_delivery':
    case 'close':
      return { note: command.note };
  }
}

describe('the events of the lifecycle', () => {
  it('property: a command that succeeds names exactly the events it produces, with its facts; a refused one none', () => {
    let succeeded = 0;
    fc.assert(
      fc.property(fc.constantFrom(...HANDOFF_STATES), commandArb, sidesArb, (state, command, sides) => {
        const outcome = transition(state, command, sides);
        if (!outcome.ok) {
          expect(outcome).not.toHaveProperty('events');
          return;
        }
        succeeded++;
        const events: readonly HandoffFact[] = outcome.events;
        expect(events.map((e) => e.type)).toEqual([EXPECTED[command.type]]);
        expect(events.map((e) => e.type)).toEqual([...EMITS[command.type]]);
        expect(events[0]).toEqual({ type: EXPECTED[command.type], from: state, ...factsOf(command) });
      }),
      { numRuns: 2000 },
    );
    expect(succeeded).toBeGreaterThan(100);
  });

  it('every handoff event is produced by the lifecycle (a command, or opening a draft), or is the reminder', () => {
    const produced = new Set<string>([
      ...Object.values(EMITS).flat(),
      ...draft({ packet: {}, sendingTeam: 's', receivingTeam: 'r' }).events.map((e) => e.type),
    ]);
    const notLifecycle = HANDOFF_EVENT_TYPES.filter((t) => !produced.has(t));
    expect(notLifecycle).toEqual(['handoff.review_overdue']);
    // And nothing is produced that is not a handoff event.
    for (const type of produced) expect(HANDOFF_EVENT_TYPES).toContain(type);
  });

  it('opening a draft produces handoff.created with the packet and the teams', () => {
    const packet = { goal: { client_goal: 'Faster close' } };
    expect(draft({ packet, sendingTeam: 'sales', receivingTeam: 'operations' })).toEqual({
      state: 'draft',
      events: [{ type: 'handoff.created', packet, sendingTeam: 'sales', receivingTeam: 'operations' }],
    });
  });
});

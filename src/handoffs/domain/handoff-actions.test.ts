import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { can, ROLES, type Role } from '../../identity/domain/roles.js';
import {
  actionsFor,
  closeRefusal,
  HANDOFF_ACTIONS,
  type HandoffAction,
  type HandoffFacts,
} from './handoff-actions.js';
import type { Question } from './handoff-facts.js';
import {
  commandsFrom,
  HANDOFF_STATES,
  type HandoffCommand,
  type HandoffState,
  type Issue,
  type Sides,
  transition,
} from './lifecycle.js';

const SIDES: readonly Sides[] = [
  { sender: false, receiver: false },
  { sender: true, receiver: false },
  { sender: false, receiver: true },
  { sender: true, receiver: true },
];

const issue = fc.record({ path: fc.string(), message: fc.string() }) as fc.Arbitrary<Issue>;
const guards = fc.record({
  openQuestions: fc.nat({ max: 3 }),
  closeBlockers: fc.array(issue, { maxLength: 2 }),
});

const QUESTION: Question = {
  id: 'q1',
  path: null,
  body: 'Which site?',
  revision: 1,
  asked_by: 'u1',
  answer: null,
  answered_by: null,
};

/** The command a request for `action` hands the lifecycle, with a ready packet and a catalogued reason. */
function requested(action: HandoffAction, facts: HandoffFacts): HandoffCommand {
  switch (action) {
    case 'edit':
      return { type: 'edit', fields: { before: { a: 1 }, after: { a: 2 } } };
    case 'submit':
      return { type: 'submit', issues: [], packet: { a: { b: 2 } } };
    case 'ask':
    case 'answer':
      return { type: action, question: QUESTION };
    case 'amend':
      return {
        type: 'amend',
        fields: { before: { a: 1 }, after: { a: 2 } },
        packet: { a: { b: 2 } },
        issues: [],
        questionId: 'q1',
      };
    case 'accept':
      return { type: 'accept', openQuestions: facts.openQuestions, note: 'Looks complete.' };
    case 'reject':
      return {
        type: 'reject',
        reasonCode: 'scope_unclear',
        explanation: 'Say more.',
        catalogue: ['scope_unclear'],
      };
    case 'withdraw':
    case 'start_delivery':
    case 'close':
      return { type: action, note: null };
  }
}

/** Whether the request would succeed: the lifecycle accepts it and, for a close, no checkpoint refuses it. */
function succeeds(action: HandoffAction, facts: HandoffFacts, sides: Sides): boolean {
  if (!transition(facts.state, requested(action, facts), sides).ok) return false;
  return action !== 'close' || closeRefusal(facts.closeBlockers) === null;
}

/** Every state × sides × role, with any open questions and close blockers. */
function forEveryCaller(check: (facts: HandoffFacts, role: Role, sides: Sides) => void): void {
  for (const state of HANDOFF_STATES)
    for (const sides of SIDES)
      for (const role of ROLES)
        fc.assert(
          fc.property(guards, (g) => check({ state, ...g }, role, sides)),
          { numRuns: 20 },
        );
}

describe('the actions a caller may take', () => {
  it('property: an action listed as allowed is one the lifecycle accepts, and vice versa', () => {
    forEveryCaller((facts, role, sides) => {
      const actions = actionsFor(facts, { role, sides });
      for (const action of HANDOFF_ACTIONS) {
        const accepted = can({ role }, 'act_on_handoffs') && succeeds(action, facts, sides);
        expect(actions[action].allowed, `${role} ${JSON.stringify(sides)} ${action} ${facts.state}`).toBe(
          accepted,
        );
      }
    });
  });

  it('property: an action refused carries the refusal the request would get', () => {
    forEveryCaller((facts, role, sides) => {
      const actions = actionsFor(facts, { role, sides });
      for (const action of HANDOFF_ACTIONS) {
        const answer = actions[action];
        if (answer.allowed) continue;
        if (!can({ role }, 'act_on_handoffs')) {
          expect(answer).toEqual({
            allowed: false,
            code: 'forbidden',
            reason: expect.stringMatching(new RegExp(`^The ${role} role may not `)),
          });
          continue;
        }
        const outcome = transition(facts.state, requested(action, facts), sides);
        if (outcome.ok) {
          // Only a close the lifecycle allows is refused after it, by the checkpoints.
          expect(action).toBe('close');
          const refusal = closeRefusal(facts.closeBlockers)!;
          expect(answer).toEqual({
            allowed: false,
            code: 'conflict',
            reason: refusal.message,
            issues: refusal.issues,
          });
          continue;
        }
        expect(answer.code).toBe(outcome.refusal.code);
        expect(answer.reason).toBe(outcome.refusal.message);
        const issues = 'issues' in outcome.refusal ? (outcome.refusal.issues ?? []) : [];
        expect(answer.issues ?? []).toEqual(issues);
      }
    });
  });

  it('lists every command of the lifecycle, once', () => {
    const events = new Set(HANDOFF_STATES.flatMap((s) => commandsFrom(s)));
    expect([...HANDOFF_ACTIONS].sort()).toEqual([...events].sort());
    expect(new Set(HANDOFF_ACTIONS).size).toBe(HANDOFF_ACTIONS.length);
  });

  it('offers the sender and the receiver of one submitted handoff different actions', () => {
    const facts = { state: 'submitted' as HandoffState, openQuestions: 1, closeBlockers: [] };
    const allowed = (sides: Sides) =>
      Object.entries(actionsFor(facts, { role: 'sales', sides }))
        .filter(([, a]) => a.allowed)
        .map(([name]) => name);
    expect(allowed({ sender: true, receiver: false })).toEqual(['withdraw', 'answer', 'amend']);
    expect(allowed({ sender: false, receiver: true })).toEqual(['ask', 'reject']);
    expect(
      actionsFor(facts, { role: 'operations', sides: { sender: false, receiver: true } }).accept,
    ).toEqual({
      allowed: false,
      code: 'conflict',
      reason: '1 open question must be answered before acceptance.',
    });
  });

  it('names each required checkpoint that blocks the close', () => {
    const blockers = [
      { path: '/checkpoints/a', message: 'kickoff open', code: 'checkpoint_open' },
      { path: '/checkpoints/b', message: 'debrief open', code: 'checkpoint_open' },
    ];
    const close = actionsFor(
      { state: 'in_delivery', openQuestions: 0, closeBlockers: blockers },
      { role: 'operations', sides: { sender: false, receiver: true } },
    ).close;
    expect(close).toMatchObject({ allowed: false, code: 'conflict', issues: blockers });
  });
});

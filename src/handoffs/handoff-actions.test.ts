import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../identity/domain/roles.js';
import type { Tx } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import {
  actionsFor,
  closeRefusal,
  HANDOFF_ACTIONS,
  type HandoffAction,
  type HandoffFacts,
} from './domain/handoff-actions.js';
import type { Question } from './domain/handoff-facts.js';
import { HANDOFF_STATES, type HandoffCommand, type Sides } from './domain/lifecycle.js';
import type { HandoffRow } from './handoff-records.js';
import { applyCommand } from './use-cases/apply-command.js';

/**
 * The actions a handoff's view lists agree with what the use cases enforce: every lifecycle use
 * case decides through `applyCommand`, which is run here for every state × sides × role × guard,
 * on a transaction that stops it at its first write. Reaching the write means the lifecycle
 * allowed the move; an error before it is the refusal the caller would get. A close the lifecycle
 * allows is then refused by the checkpoints' subscriber while required checkpoints are open,
 * with `closeRefusal` (the refusal itself is tested through the API in test/handoff-actions.test.ts).
 */

const SENDING = 'team-sending';
const RECEIVING = 'team-receiving';
const SIDES: readonly Sides[] = [
  { sender: false, receiver: false },
  { sender: true, receiver: false },
  { sender: false, receiver: true },
  { sender: true, receiver: true },
];

class ReachedTheWrite extends Error {}

/** A transaction that refuses to be used: the decision is made before the first use. */
const stopAtFirstWrite = new Proxy({} as Tx, {
  get: () => {
    throw new ReachedTheWrite();
  },
});

const QUESTION: Question = {
  id: 'q1',
  path: null,
  body: 'Which site?',
  revision: 1,
  asked_by: 'user',
  answer: null,
  answered_by: null,
};

/** The command each lifecycle use case hands `applyCommand`, with a ready packet and a catalogued reason. */
function commandOf(action: HandoffAction, facts: HandoffFacts): HandoffCommand {
  switch (action) {
    case 'edit':
      return { type: 'edit', fields: { before: {}, after: { a: 1 } } };
    case 'submit':
      return { type: 'submit', issues: [], packet: { a: { b: 1 } } };
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
      return { type: 'accept', openQuestions: facts.openQuestions, note: null };
    case 'reject':
      return { type: 'reject', reasonCode: 'other', explanation: 'Because.', catalogue: ['other'] };
    case 'withdraw':
    case 'start_delivery':
    case 'close':
      return { type: action, note: null };
  }
}

async function enforced(action: HandoffAction, facts: HandoffFacts, role: Role, sides: Sides) {
  const principal = {
    orgId: 'org',
    userId: 'user',
    email: 'user@example.test',
    role,
    teamIds: [...(sides.sender ? [SENDING] : []), ...(sides.receiver ? [RECEIVING] : [])],
    scopes: [],
  };
  const row = {
    id: 'handoff',
    state: facts.state,
    sending_team_id: SENDING,
    receiving_team_id: RECEIVING,
    version: 1,
  } as unknown as HandoffRow;
  try {
    await applyCommand(stopAtFirstWrite, principal, new Date(0), row, commandOf(action, facts));
  } catch (error) {
    if (error instanceof ReachedTheWrite) {
      const refusal = action === 'close' ? closeRefusal(facts.closeBlockers) : null;
      return refusal ? { allowed: false, code: 'conflict', reason: refusal.message } : { allowed: true };
    }
    if (error instanceof AppError) return { allowed: false, code: error.code, reason: error.message };
    throw error;
  }
  throw new Error(`${action} neither wrote nor refused`);
}

describe("a handoff's actions and the use cases", () => {
  it('agree for every state × sides × role, with and without open questions and required checkpoints', async () => {
    const guards = [
      { openQuestions: 0, closeBlockers: [] },
      { openQuestions: 2, closeBlockers: [{ path: '/checkpoints/c', message: 'kickoff is open' }] },
    ];
    let compared = 0;
    for (const state of HANDOFF_STATES)
      for (const sides of SIDES)
        for (const role of ROLES)
          for (const guard of guards) {
            const facts = { state, ...guard };
            const listed = actionsFor(facts, { role, sides });
            for (const action of HANDOFF_ACTIONS) {
              const { allowed, code, reason } = listed[action] as {
                allowed: boolean;
                code?: string;
                reason?: string;
              };
              const said = `${role} ${JSON.stringify(sides)} ${action} on ${state} ${JSON.stringify(guard)}`;
              expect({ allowed, code, reason }, said).toEqual(await enforced(action, facts, role, sides));
              compared++;
            }
          }
    expect(compared).toBe(HANDOFF_STATES.length * SIDES.length * ROLES.length * 2 * HANDOFF_ACTIONS.length);
  });
});

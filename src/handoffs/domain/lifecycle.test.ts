import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuestionsTable } from '../../kernel/db/schema.js';
import {
  type CommandType as EventType,
  commandsFrom as eventsFrom,
  HANDOFF_STATES,
  type HandoffCommand as HandoffEvent,
  type HandoffState,
  type Issue,
  type Outcome,
  type Sides,
  transition,
} from './lifecycle.js';

// ---------------------------------------------------------------------------------------------
// The oracle, written from docs/design-handoff-contract.md (not from the module's own tables):
//
//   draft ──submit──▶ submitted ──accept──▶ accepted ──start_delivery──▶ in_delivery ──close──▶ closed
//     ▲  (edit)           │ └──reject──▶ rejected ──edit/submit (new revision)──▶ submitted
//     │                   └──amend (answering a question on the field; new revision)──▶ submitted
//     └───────────────────┴──withdraw (sender, from draft | submitted | rejected)──▶ withdrawn
//
// "questions are asked by the receiver while submitted and answered by the sender; edits only in
//  draft and rejected. Anything else is an illegal transition (409)."
// ---------------------------------------------------------------------------------------------

const STATES: readonly HandoffState[] = [
  'draft',
  'submitted',
  'accepted',
  'rejected',
  'withdrawn',
  'in_delivery',
  'closed',
];

const EVENT_TYPES: readonly EventType[] = [
  'edit',
  'submit',
  'ask',
  'answer',
  'amend',
  'accept',
  'reject',
  'withdraw',
  'start_delivery',
  'close',
];

/** Who owns each event: the sending team owns completeness, the receiving team owns acceptance. */
const SENDER_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  'edit',
  'submit',
  'answer',
  'amend',
  'withdraw',
]);
const RECEIVER_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  'ask',
  'accept',
  'reject',
  'start_delivery',
  'close',
]);

/**
 * Legal moves, organised by state (the diagram read left to right). The design is silent on the
 * states in which a question may be *answered*; a question can only be asked while submitted, and
 * may still be open after a rejection, so answering is expected in submitted and rejected. The
 * module also allows it in accepted (where no question can be open, since accept requires zero):
 * harmless, pinned here as current behaviour.
 */
const LEGAL: Readonly<Record<HandoffState, Partial<Record<EventType, HandoffState>>>> = {
  draft: { edit: 'draft', submit: 'submitted', withdraw: 'withdrawn' },
  submitted: {
    ask: 'submitted',
    answer: 'submitted',
    amend: 'submitted',
    accept: 'accepted',
    reject: 'rejected',
    withdraw: 'withdrawn',
  },
  accepted: { answer: 'accepted', start_delivery: 'in_delivery' },
  rejected: { edit: 'rejected', submit: 'submitted', answer: 'rejected', withdraw: 'withdrawn' },
  withdrawn: {},
  in_delivery: { close: 'closed' },
  closed: {},
};

const TERMINAL: readonly HandoffState[] = ['withdrawn', 'closed'];

const CATALOGUE = ['scope_unclear', 'missing_contact', 'no_budget'] as const;

// What commands carry for their events only: the guards never look at it.
const PACKET = { scope: { in_scope: ['Install'] } };
const FIELDS = { before: { 'scope.in_scope': null }, after: { 'scope.in_scope': ['Install'] } };
const QUESTION: QuestionsTable = {
  id: 'q1',
  org_id: 'o1',
  handoff_id: 'h1',
  path: null,
  body: 'Who signs?',
  revision: 1,
  asked_by: 'u1',
  asked_at: '2026-03-02T10:00:00.000Z',
  state: 'open',
  answer: null,
  answered_by: null,
  answered_at: null,
  amended_revision: null,
};

const SIDES = {
  'sender only': { sender: true, receiver: false },
  'receiver only': { sender: false, receiver: true },
  both: { sender: true, receiver: true },
  neither: { sender: false, receiver: false },
} as const satisfies Record<string, Sides>;
type SidesName = keyof typeof SIDES;
const SIDES_NAMES = Object.keys(SIDES) as SidesName[];

/** An event of `type` whose guards all pass. */
function validEvent(type: EventType): HandoffEvent {
  switch (type) {
    case 'edit':
      return { type, fields: FIELDS };
    case 'submit':
      return { type, issues: [], packet: PACKET };
    case 'ask':
    case 'answer':
      return { type, question: QUESTION };
    case 'amend':
      return { type, fields: FIELDS, packet: PACKET, issues: [], questionId: 'q1' };
    case 'accept':
      return { type, openQuestions: 0, note: null };
    case 'reject':
      return {
        type,
        reasonCode: 'scope_unclear',
        explanation: 'The scope is unclear.',
        catalogue: CATALOGUE,
      };
    case 'withdraw':
    case 'start_delivery':
    case 'close':
      return { type, note: null };
  }
}

function owns(sides: Sides, type: EventType): boolean {
  return SENDER_EVENTS.has(type) ? sides.sender : sides.receiver;
}

function isBlank(s: string): boolean {
  return s.trim().length === 0;
}

/** The guard problems of an event, independently of state and actor (empty when the guards pass). */
function guardRefusal(event: HandoffEvent): 'packet_not_ready' | 'conflict' | 'validation_failed' | null {
  switch (event.type) {
    case 'submit':
    case 'amend':
      return event.issues.length > 0 ? 'packet_not_ready' : null;
    case 'accept':
      return event.openQuestions > 0 ? 'conflict' : null;
    case 'reject':
      return !event.catalogue.includes(event.reasonCode) || isBlank(event.explanation)
        ? 'validation_failed'
        : null;
    default:
      return null;
  }
}

type Expected = { ok: true; state: HandoffState } | { ok: false; code: string };

/** The oracle: ownership (403), then state (409), then the event's guards. */
function expected(state: HandoffState, event: HandoffEvent, sides: Sides): Expected {
  if (!owns(sides, event.type)) return { ok: false, code: 'forbidden' };
  const next = LEGAL[state][event.type];
  if (next === undefined) return { ok: false, code: 'illegal_transition' };
  const guard = guardRefusal(event);
  if (guard !== null) return { ok: false, code: guard };
  return { ok: true, state: next };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A cheap assertion for the hot loops of the properties (`expect` per step is slow). */
function check(condition: boolean, what: string, context?: unknown): asserts condition {
  if (!condition) throw new Error(`${what}${context === undefined ? '' : `: ${JSON.stringify(context)}`}`);
}

function refusalOf(outcome: Outcome) {
  if (outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
  return outcome.refusal;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const stateArb = fc.constantFrom(...STATES);
const sidesArb: fc.Arbitrary<Sides> = fc.record({ sender: fc.boolean(), receiver: fc.boolean() });

const issueArb: fc.Arbitrary<Issue> = fc.record(
  {
    path: fc.constantFrom('/contacts/0/email', '/goal', '/scope', '', '/promises/3'),
    message: fc.string({ maxLength: 12 }),
    code: fc.constantFrom('required', 'format', 'enum'),
  },
  { requiredKeys: ['path', 'message'] },
);

const blankArb = fc.constantFrom('', ' ', '   ', '\t', '\n', ' \t\r\n ', '\u00a0', '\u2003');
const explanationArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Scope is unclear.', 'x', '  needs a budget  ') },
  { weight: 1, arbitrary: blankArb },
);
const catalogueArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant<readonly string[]>(CATALOGUE) },
  { weight: 1, arbitrary: fc.constant<readonly string[]>([]) },
);
const reasonCodeArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CATALOGUE) },
  { weight: 1, arbitrary: fc.constantFrom('', 'Scope_Unclear', 'other', ' scope_unclear') },
);

/**
 * Any event, with random guard inputs biased towards passing. `withdraw` is rarer than the rest:
 * it ends a run, and runs must get far enough to reach in_delivery and closed.
 */
const W = 4;
const eventArb: fc.Arbitrary<HandoffEvent> = fc.oneof(
  { weight: W, arbitrary: fc.constant<HandoffEvent>({ type: 'edit', fields: FIELDS }) },
  {
    weight: W,
    arbitrary: fc
      .oneof(
        { weight: 3, arbitrary: fc.constant<Issue[]>([]) },
        { weight: 1, arbitrary: fc.array(issueArb, { minLength: 1, maxLength: 4 }) },
      )
      .map((issues): HandoffEvent => ({ type: 'submit', issues, packet: PACKET })),
  },
  { weight: W, arbitrary: fc.constant<HandoffEvent>({ type: 'ask', question: QUESTION }) },
  { weight: W, arbitrary: fc.constant<HandoffEvent>({ type: 'answer', question: QUESTION }) },
  {
    weight: W,
    arbitrary: fc
      .oneof(
        { weight: 3, arbitrary: fc.constant<Issue[]>([]) },
        { weight: 1, arbitrary: fc.array(issueArb, { minLength: 1, maxLength: 4 }) },
      )
      .map(
        (issues): HandoffEvent => ({
          type: 'amend',
          fields: FIELDS,
          packet: PACKET,
          issues,
          questionId: 'q1',
        }),
      ),
  },
  {
    weight: W,
    arbitrary: fc
      .oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 9 }) },
      )
      .map((openQuestions): HandoffEvent => ({ type: 'accept', openQuestions, note: null })),
  },
  {
    weight: W,
    arbitrary: fc
      .record({ reasonCode: reasonCodeArb, explanation: explanationArb, catalogue: catalogueArb })
      .map((r): HandoffEvent => ({ type: 'reject', ...r })),
  },
  { weight: 1, arbitrary: fc.constant<HandoffEvent>({ type: 'withdraw', note: null }) },
  { weight: W, arbitrary: fc.constant<HandoffEvent>({ type: 'start_delivery', note: null }) },
  { weight: W, arbitrary: fc.constant<HandoffEvent>({ type: 'close', note: null }) },
);

/** Any event of one given type, with arbitrary (not biased) guard inputs. */
function eventOfTypeArb(type: EventType): fc.Arbitrary<HandoffEvent> {
  switch (type) {
    case 'submit':
      return fc
        .array(issueArb, { maxLength: 3 })
        .map((issues): HandoffEvent => ({ type, issues, packet: PACKET }));
    case 'accept':
      return fc.nat(20).map((openQuestions): HandoffEvent => ({ type, openQuestions, note: null }));
    case 'reject':
      return fc
        .record({ reasonCode: reasonCodeArb, explanation: explanationArb, catalogue: catalogueArb })
        .map((r): HandoffEvent => ({ type, ...r }));
    default:
      return fc.constant<HandoffEvent>(validEvent(type));
  }
}

interface Step {
  event: HandoffEvent;
  sides: Sides;
}
const stepArb: fc.Arbitrary<Step> = fc.record({ event: eventArb, sides: sidesArb });
const runArb = fc.array(stepArb, { maxLength: 100, size: 'max' });

interface Entry extends Step {
  from: HandoffState;
  outcome: Outcome;
  to: HandoffState;
}

/** Applies the steps from 'draft', moving the state forward only on ok outcomes. */
function run(steps: readonly Step[]): Entry[] {
  let state: HandoffState = 'draft';
  const trace: Entry[] = [];
  for (const { event, sides } of steps) {
    const outcome = transition(state, deepFreeze(event), deepFreeze(sides));
    const to: HandoffState = outcome.ok ? outcome.state : state;
    trace.push({ from: state, event, sides, outcome, to });
    state = to;
  }
  return trace;
}

const NUM_RUNS = 500;

// ---------------------------------------------------------------------------------------------
// 0. The oracle's universe matches the module's.
// ---------------------------------------------------------------------------------------------

describe('the closed unions', () => {
  it('HANDOFF_STATES lists exactly the states of the design, each once', () => {
    expect([...HANDOFF_STATES].sort()).toEqual([...STATES].sort());
    expect(new Set(HANDOFF_STATES).size).toBe(HANDOFF_STATES.length);
  });

  it('every event is owned by exactly one side', () => {
    for (const type of EVENT_TYPES) {
      expect(SENDER_EVENTS.has(type) !== RECEIVER_EVENTS.has(type)).toBe(true);
    }
    expect(SENDER_EVENTS.size + RECEIVER_EVENTS.size).toBe(EVENT_TYPES.length);
  });
});

// ---------------------------------------------------------------------------------------------
// 1. Exhaustive table: state × event type × sides, with guards that pass.
// ---------------------------------------------------------------------------------------------

interface Row {
  state: HandoffState;
  type: EventType;
  sidesName: SidesName;
  want: Expected;
}

const ROWS: Row[] = STATES.flatMap((state) =>
  EVENT_TYPES.flatMap((type) =>
    SIDES_NAMES.map((sidesName): Row => {
      const sides = SIDES[sidesName];
      const next = LEGAL[state][type];
      let want: Expected;
      if (!owns(sides, type)) want = { ok: false, code: 'forbidden' };
      else if (next === undefined) want = { ok: false, code: 'illegal_transition' };
      else want = { ok: true, state: next };
      return { state, type, sidesName, want };
    }),
  ),
);

describe('transition: exhaustive table', () => {
  it('covers every state × event type × sides combination', () => {
    expect(ROWS).toHaveLength(STATES.length * EVENT_TYPES.length * SIDES_NAMES.length);
    expect(ROWS).toHaveLength(280);
  });

  it.each(ROWS)('$state + $type by $sidesName → $want', ({ state, type, sidesName, want }) => {
    const outcome = transition(state, deepFreeze(validEvent(type)), deepFreeze({ ...SIDES[sidesName] }));
    if (want.ok) {
      expect(outcome).toMatchObject({ ok: true, state: want.state });
      return;
    }
    // Exact shape: no `issues` on forbidden / illegal_transition, no `state` on a refusal.
    expect(outcome).toEqual({ ok: false, refusal: { code: want.code, message: expect.any(String) } });
    const { message } = refusalOf(outcome);
    expect(message.length).toBeGreaterThan(0);
    if (want.code === 'forbidden') {
      expect(message).toContain(SENDER_EVENTS.has(type) ? 'sending team' : 'receiving team');
    }
  });

  it('a side that owns nothing is forbidden everything, whatever the state', () => {
    for (const state of STATES) {
      for (const type of EVENT_TYPES) {
        expect(refusalOf(transition(state, validEvent(type), SIDES.neither)).code).toBe('forbidden');
      }
    }
  });

  it('ownership is checked before the state, and the state before the guards', () => {
    // Receiver tries to submit an unready packet from a state that forbids submit anyway.
    expect(
      refusalOf(transition('closed', { type: 'submit', issues: [], packet: PACKET }, SIDES['receiver only']))
        .code,
    ).toBe('forbidden');
    // Sender submits an unready packet from 'accepted': illegal, not packet_not_ready.
    const issues: Issue[] = [{ path: '/goal', message: 'required' }];
    expect(
      refusalOf(transition('accepted', { type: 'submit', issues, packet: PACKET }, SIDES.both)).code,
    ).toBe('illegal_transition');
    // Sender tries to accept with open questions: forbidden, not conflict.
    expect(
      refusalOf(
        transition('submitted', { type: 'accept', openQuestions: 3, note: null }, SIDES['sender only']),
      ).code,
    ).toBe('forbidden');
    // Receiver accepts with open questions from 'draft': illegal, not conflict.
    expect(
      refusalOf(transition('draft', { type: 'accept', openQuestions: 3, note: null }, SIDES.both)).code,
    ).toBe('illegal_transition');
    // Invalid rejection of a draft: illegal, not validation_failed.
    expect(
      refusalOf(
        transition(
          'draft',
          { type: 'reject', reasonCode: 'nope', explanation: '', catalogue: CATALOGUE },
          SIDES['receiver only'],
        ),
      ).code,
    ).toBe('illegal_transition');
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Guards.
// ---------------------------------------------------------------------------------------------

describe('guards', () => {
  describe('submit', () => {
    it.each(['draft', 'rejected'] as const)(
      'from %s, refuses an unready packet with every issue',
      (state) => {
        const issues: Issue[] = [
          { path: '/contacts/0/email', message: 'must be an e-mail address', code: 'format' },
          { path: '/goal', message: 'is required', code: 'required' },
          { path: '/goal', message: 'is required', code: 'required' },
          { path: '/scope', message: 'must not be empty' },
        ];
        const refusal = refusalOf(
          transition(state, deepFreeze({ type: 'submit', issues, packet: PACKET }), SIDES['sender only']),
        );
        expect(refusal).toEqual({ code: 'packet_not_ready', message: expect.any(String), issues });
        expect(refusal.message).toContain('4 fields');
      },
    );

    it('uses the singular for one issue', () => {
      const refusal = refusalOf(
        transition(
          'draft',
          { type: 'submit', issues: [{ path: '/goal', message: 'x' }], packet: PACKET },
          SIDES.both,
        ),
      );
      expect(refusal.message).toContain('1 field ');
    });

    it('property: any non-empty list of issues comes back whole, in order', () => {
      fc.assert(
        fc.property(
          fc.constantFrom<HandoffState>('draft', 'rejected'),
          fc.array(issueArb, { minLength: 1, maxLength: 20 }),
          fc.constantFrom(SIDES['sender only'], SIDES.both),
          (state, issues, sides) => {
            const copy = issues.map((i) => ({ ...i }));
            const refusal = refusalOf(
              transition(state, deepFreeze({ type: 'submit', issues, packet: PACKET }), sides),
            );
            expect(refusal.code).toBe('packet_not_ready');
            if (refusal.code !== 'packet_not_ready') return;
            expect(refusal.issues).toEqual(copy);
            expect(refusal.issues).toHaveLength(issues.length);
          },
        ),
        { numRuns: NUM_RUNS },
      );
    });

    it('an empty issue list submits', () => {
      expect(
        transition('draft', { type: 'submit', issues: [], packet: PACKET }, SIDES['sender only']),
      ).toEqual({
        ok: true,
        state: 'submitted',
        events: [{ type: 'handoff.submitted', from: 'draft', packet: PACKET }],
      });
    });
  });

  describe('accept', () => {
    it('property: any open question blocks acceptance with a conflict', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.constantFrom(SIDES['receiver only'], SIDES.both),
          (n, sides) => {
            const refusal = refusalOf(
              transition('submitted', { type: 'accept', openQuestions: n, note: null }, sides),
            );
            expect(refusal).toEqual({ code: 'conflict', message: expect.any(String) });
            expect(refusal.message).toContain(String(n));
          },
        ),
        { numRuns: NUM_RUNS },
      );
    });

    it('no open question accepts', () => {
      expect(
        transition('submitted', { type: 'accept', openQuestions: 0, note: null }, SIDES['receiver only']),
      ).toEqual({
        ok: true,
        state: 'accepted',
        events: [{ type: 'handoff.accepted', from: 'submitted', note: null }],
      });
    });
  });

  describe('close', () => {
    // Open checkpoints refusing the close are the checkpoints feature's reaction to
    // `handoff.closed` (src/checkpoints/handoff-subscribers.ts), tested with it.
    it('the receiver closes a handoff in delivery, with its note', () => {
      expect(transition('in_delivery', { type: 'close', note: 'Done.' }, SIDES['receiver only'])).toEqual({
        ok: true,
        state: 'closed',
        events: [{ type: 'handoff.closed', from: 'in_delivery', note: 'Done.' }],
      });
    });

    it('the sender is forbidden to close', () => {
      expect(
        refusalOf(transition('in_delivery', { type: 'close', note: null }, SIDES['sender only'])).code,
      ).toBe('forbidden');
    });
  });

  describe('reject', () => {
    const base = { type: 'reject', catalogue: CATALOGUE } as const;
    const reject = (reasonCode: string, explanation: string) =>
      transition('submitted', deepFreeze({ ...base, reasonCode, explanation }), SIDES['receiver only']);
    const paths = (outcome: Outcome) => {
      const refusal = refusalOf(outcome);
      expect(refusal.code).toBe('validation_failed');
      return refusal.code === 'validation_failed' ? refusal.issues.map((i) => i.path) : [];
    };

    it('a catalogued code with an explanation rejects', () => {
      expect(reject('missing_contact', 'No champion named.')).toMatchObject({ ok: true, state: 'rejected' });
    });

    it('an uncatalogued code is refused on /reason_code', () => {
      expect(paths(reject('made_up', 'No champion named.'))).toEqual(['/reason_code']);
    });

    it.each(['', '   ', '\t\n', '\u00a0'])('a blank explanation (%j) is refused on /explanation', (blank) => {
      expect(paths(reject('missing_contact', blank))).toEqual(['/explanation']);
    });

    it('both wrong lists both problems', () => {
      const refusal = refusalOf(reject('made_up', '  '));
      expect(refusal).toEqual({
        code: 'validation_failed',
        message: expect.any(String),
        issues: [
          { path: '/reason_code', message: expect.any(String) },
          { path: '/explanation', message: expect.any(String) },
        ],
      });
    });

    it('an empty catalogue refuses every code', () => {
      const outcome = transition(
        'submitted',
        { type: 'reject', reasonCode: 'scope_unclear', explanation: 'why', catalogue: [] },
        SIDES.both,
      );
      expect(paths(outcome)).toEqual(['/reason_code']);
    });

    it('property: the issues are exactly the problems, code first', () => {
      fc.assert(
        fc.property(reasonCodeArb, explanationArb, catalogueArb, (reasonCode, explanation, catalogue) => {
          const outcome = transition(
            'submitted',
            deepFreeze({ type: 'reject', reasonCode, explanation, catalogue }),
            SIDES['receiver only'],
          );
          const want = [
            ...(catalogue.includes(reasonCode) ? [] : ['/reason_code']),
            ...(isBlank(explanation) ? ['/explanation'] : []),
          ];
          if (want.length === 0) expect(outcome).toMatchObject({ ok: true, state: 'rejected' });
          else expect(paths(outcome)).toEqual(want);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Properties over random runs from 'draft'.
// ---------------------------------------------------------------------------------------------

describe('properties of random runs from draft', () => {
  it('(model) every single step agrees with the oracle', () => {
    fc.assert(
      fc.property(stateArb, eventArb, sidesArb, (state, event, sides) => {
        const outcome = transition(state, deepFreeze(event), deepFreeze(sides));
        const want = expected(state, event, sides);
        if (want.ok) expect(outcome).toMatchObject({ ok: true, state: want.state });
        else expect(refusalOf(outcome).code).toBe(want.code);
      }),
      { numRuns: NUM_RUNS * 4 },
    );
  });

  it('(a) the state is always one of HANDOFF_STATES', () => {
    fc.assert(
      fc.property(runArb, (steps) => {
        for (const entry of run(steps)) check(HANDOFF_STATES.includes(entry.to), 'unknown state', entry);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(b) accepted is entered only from submitted, by a receiver accepting with no open question', () => {
    fc.assert(
      fc.property(runArb, (steps) => {
        for (const entry of run(steps)) {
          const { from, to, event, sides } = entry;
          if (to !== 'accepted' || from === 'accepted') continue;
          check(
            from === 'submitted' && event.type === 'accept' && event.openQuestions === 0 && sides.receiver,
            'accepted entered wrongly',
            entry,
          );
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(c) in_delivery and closed never occur before accepted has', () => {
    fc.assert(
      fc.property(runArb, (steps) => {
        let accepted = false;
        for (const entry of run(steps)) {
          if (entry.to === 'accepted') accepted = true;
          if (entry.to === 'in_delivery' || entry.to === 'closed')
            check(accepted, 'delivery before acceptance', entry);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(d) successful submits never exceed successful rejects + 1', () => {
    fc.assert(
      fc.property(runArb, (steps) => {
        let submits = 0;
        let rejects = 0;
        for (const { event, outcome } of run(steps)) {
          if (!outcome.ok) continue;
          if (event.type === 'submit') submits++;
          if (event.type === 'reject') rejects++;
          check(submits <= rejects + 1, 'more submits than rejects + 1', { submits, rejects });
          // And a rejection always answers a submission.
          check(rejects <= submits, 'more rejects than submits', { submits, rejects });
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(e) withdrawn and closed are terminal: no event succeeds from them', () => {
    fc.assert(
      fc.property(runArb, (steps) => {
        for (const entry of run(steps)) {
          if (TERMINAL.includes(entry.from)) check(!entry.outcome.ok, 'left a terminal state', entry);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // And directly, with any event and any actor.
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL), eventArb, sidesArb, (state, event, sides) => {
        const outcome = transition(state, event, sides);
        expect(outcome.ok).toBe(false);
        expect(refusalOf(outcome).code).toBe(owns(sides, event.type) ? 'illegal_transition' : 'forbidden');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(f) a refused event never changes the state, and transition is pure', () => {
    fc.assert(
      fc.property(stateArb, eventArb, sidesArb, (state, event, sides) => {
        const eventCopy = structuredClone(event);
        const sidesCopy = { ...sides };
        const first = transition(state, event, sides);
        // Deterministic, and neither argument is touched.
        expect(transition(state, event, sides)).toEqual(first);
        expect(event).toEqual(eventCopy);
        expect(sides).toEqual(sidesCopy);
        if (!first.ok) {
          expect(first).not.toHaveProperty('state');
          // A refusal is idempotent: the same event refused again from the same (unchanged) state.
          expect(refusalOf(transition(state, event, sides)).code).toBe(first.refusal.code);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    fc.assert(
      fc.property(runArb, (steps) => {
        for (const entry of run(steps)) {
          if (!entry.outcome.ok)
            check(entry.to === entry.from && !('state' in entry.outcome), 'refusal moved', entry);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(g) eventsFrom(state) lists exactly the events that can succeed from state', () => {
    for (const state of STATES) {
      const listed = eventsFrom(state);
      expect(new Set(listed).size).toBe(listed.length);
      expect([...listed].sort()).toEqual(Object.keys(LEGAL[state]).sort());
      // Every listed event has a witness: both sides, passing guards.
      for (const type of listed) {
        expect(transition(state, validEvent(type), SIDES.both).ok).toBe(true);
      }
    }
    // No unlisted event succeeds, whatever the actor and the guard inputs.
    const unlisted = STATES.flatMap((state) =>
      EVENT_TYPES.filter((t) => !eventsFrom(state).includes(t)).map((type) => ({ state, type })),
    );
    fc.assert(
      fc.property(
        fc
          .constantFrom(...unlisted)
          .chain(({ state, type }) => fc.tuple(fc.constant(state), eventOfTypeArb(type), sidesArb)),
        ([state, event, sides]) => {
          expect(transition(state, event, sides).ok).toBe(false);
        },
      ),
      { numRuns: NUM_RUNS },
    );
    // And every success seen along random runs is listed.
    fc.assert(
      fc.property(runArb, (steps) => {
        for (const entry of run(steps)) {
          if (entry.outcome.ok)
            check(eventsFrom(entry.from).includes(entry.event.type), 'unlisted success', entry);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('random runs reach every state, and resubmit, often enough for the above to bite', () => {
    const runsReaching: Partial<Record<HandoffState, number>> = {};
    let resubmittingRuns = 0;
    fc.assert(
      fc.property(runArb, (steps) => {
        const trace = run(steps);
        for (const state of new Set(['draft' as HandoffState, ...trace.map((e) => e.to)])) {
          runsReaching[state] = (runsReaching[state] ?? 0) + 1;
        }
        if (trace.filter((e) => e.outcome.ok && e.event.type === 'submit').length > 1) resubmittingRuns++;
      }),
      { numRuns: NUM_RUNS, seed: 42 },
    );
    for (const state of STATES) expect(runsReaching[state] ?? 0, state).toBeGreaterThanOrEqual(20);
    expect(resubmittingRuns).toBeGreaterThanOrEqual(10);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSubstance } from './plan-substance.js';
import {
  type ContactFacts,
  isEmptySubstancePlan,
  LADDER_RUNGS,
  type LadderFacts,
  type LadderRung,
  type MappedField,
  type SubstancePlan,
  type SubstanceWorld,
} from './substance-plan.js';

/*
 * The reconciliation planner over random packets and random records already there: texts drawn
 * from small pools (so a packet repeats itself, and differs from the records only in case and
 * spaces), promises already kept or broken, contacts found by id, e-mail or name, filed under
 * `other` or a role of their own.
 */

const TEXTS = [
  'Weekly call',
  'weekly  call ',
  'Training day',
  'Data migration',
  'Go-live support',
  'On-site visit',
];
const PEOPLE = ['Sam', 'Dana', ''];
const NAMES = ['Dana Whitfield', 'dana whitfield', 'Luis Ortega', 'Ana Ruiz'];
const EMAILS = ['dana@client.example', 'DANA@client.example', 'luis@client.example', undefined];
const RUNGS: readonly LadderRung[] = ['goal', 'metric', 'ultimate_objective', 'early_win'];

const promise = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      text: fc.constantFrom(...TEXTS),
      made_by: fc.constantFrom(...PEOPLE),
      in_contract: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, { text: '  ' }, { made_by: 'Sam' }) },
);
const scopeEntry = fc.oneof(
  fc.constantFrom(...TEXTS),
  fc.constantFrom(...TEXTS).map((description) => ({ description })),
  fc.constant('   '),
);
const person = fc.record(
  {
    name: fc.constantFrom(...NAMES),
    email: fc.constantFrom(...EMAILS),
    role: fc.constantFrom('COO', 'Finance lead'),
    contact_id: fc.constantFrom('contact-1', 'contact-9'),
  },
  { requiredKeys: ['name'] },
);

/** The mapped fields of a packet: some of each kind, some left out. */
const packet: fc.Arbitrary<MappedField[]> = fc
  .record({
    promises: fc.option(fc.array(fc.array(promise, { maxLength: 5 }), { minLength: 1, maxLength: 2 })),
    scopeIn: fc.option(fc.array(scopeEntry, { maxLength: 5 })),
    scopeOut: fc.option(fc.array(scopeEntry, { maxLength: 3 })),
    contacts: fc.array(
      fc.record({
        role: fc.constantFrom('buyer', 'champion', undefined),
        value: fc.oneof(person, fc.array(person, { maxLength: 3 })),
      }),
      { maxLength: 3 },
    ),
    ladder: fc.dictionary(
      fc.constantFrom(...RUNGS),
      fc.constantFrom('Close in 5 days', 'A 7-day close', ' ', ''),
    ),
  })
  .map((p) => [
    ...(p.promises ?? []).map((value) => ({ mapsTo: 'promises', contactRole: undefined, value })),
    ...(p.scopeIn ? [{ mapsTo: 'scope_in', contactRole: undefined, value: p.scopeIn }] : []),
    ...(p.scopeOut ? [{ mapsTo: 'scope_out', contactRole: undefined, value: p.scopeOut }] : []),
    ...p.contacts.map((c) => ({ mapsTo: 'contacts', contactRole: c.role, value: c.value })),
    ...Object.entries(p.ladder).map(([rung, value]) => ({
      mapsTo: `success.${rung}`,
      contactRole: undefined,
      value,
    })),
  ]);

function existingPromise(fromPacket: 0 | 1) {
  return fc.record({
    text: fc.constantFrom(...TEXTS),
    made_by: fc.constantFrom(...PEOPLE.filter(Boolean)),
    in_contract: fc.constantFrom(0, 1),
    status: fc.constantFrom('open', 'open', 'kept', 'broken'),
    from_packet: fc.constant(fromPacket),
  });
}

/** Records already there: promises and scope items the handoff carries, the account's contacts, a ladder. */
const world: fc.Arbitrary<SubstanceWorld> = fc
  .record({
    // A packet makes one promise of a text; people record what they like by hand.
    fromPacket: fc.uniqueArray(existingPromise(1), { selector: (p) => norm(p.text), maxLength: 4 }),
    byHand: fc.array(existingPromise(0), { maxLength: 2 }),
    scopeItems: fc.array(
      fc.record({
        kind: fc.constantFrom('in', 'out'),
        description: fc.constantFrom(...TEXTS),
        from_packet: fc.constantFrom(1, 1, 0),
      }),
      { maxLength: 4 },
    ),
    contacts: fc.array(
      fc.record({
        name: fc.constantFrom(...NAMES),
        email: fc.constantFrom('dana@client.example', 'luis@client.example', null),
        role: fc.constantFrom('other', 'buyer', 'sponsor'),
      }),
      { maxLength: 3 },
    ),
    ladder: fc.option(
      fc.dictionary(fc.constantFrom(...RUNGS), fc.constantFrom('Close in 5 days', 'A 7-day close')),
    ),
  })
  .map((w) => ({
    handoffId: 'handoff-1',
    engagementId: 'engagement-1',
    accountId: 'account-1',
    promises: [...w.fromPacket, ...w.byHand].map((p, i) => ({ id: `promise-${i}`, ...p })),
    scopeItems: w.scopeItems.map((s, i) => ({ id: `scope-${i}`, ...s })),
    contacts: w.contacts.map((c, i) => ({ id: `contact-${i}`, ...c })),
    ladder: w.ladder
      ? ({
          id: 'ladder-1',
          ...Object.fromEntries(LADDER_RUNGS.map((rung) => [rung, w.ladder?.[rung] ?? null])),
        } as LadderFacts)
      : null,
  }));

const plan = (w: SubstanceWorld, mapped: MappedField[]): SubstancePlan => {
  let n = 0;
  return planSubstance(w, mapped, { now: new Date('2026-03-03T10:00:00.000Z'), newId: () => `new-${++n}` });
};

/** The records as the writer leaves them (a model of `writeSubstancePlan`). */
function applied(w: SubstanceWorld, p: SubstancePlan): SubstanceWorld {
  const gone = new Set([...p.promises.remove, ...p.scopeItems.remove].map((r) => r.id));
  const promiseSet = new Map(p.promises.change.map((c) => [c.id, c.set]));
  const contactSet = new Map(p.contacts.change.map((c) => [c.id, c.set]));
  return {
    ...w,
    promises: [
      ...w.promises.filter((r) => !gone.has(r.id)).map((r) => ({ ...r, ...promiseSet.get(r.id) })),
      ...p.promises.add,
    ],
    scopeItems: [...w.scopeItems.filter((r) => !gone.has(r.id)), ...p.scopeItems.add],
    contacts: [...w.contacts.map((r) => ({ ...r, ...contactSet.get(r.id) })), ...p.contacts.add],
    ladder:
      p.ladder.add ?? (w.ladder && p.ladder.change ? { ...w.ladder, ...p.ladder.change.set } : w.ladder),
  };
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const RUNS = { numRuns: 500 };

describe('the substance planner', () => {
  it('changes nothing when the same packet is reconciled twice', () => {
    fc.assert(
      fc.property(world, packet, (w, mapped) => {
        const second = plan(applied(w, plan(w, mapped)), mapped);
        expect(isEmptySubstancePlan(second), JSON.stringify(second)).toBe(true);
      }),
      RUNS,
    );
  });

  it('removes exactly the promise or scope item taken out of the packet, and nothing else', () => {
    const withChoice = fc.tuple(world, packet, fc.nat(), fc.boolean());
    fc.assert(
      fc.property(withChoice, ([w, mapped, pick, fromScope]) => {
        const after = applied(w, plan(w, mapped));
        // The entries of one kind whose text the packet says once: taking one out leaves no other copy.
        const kinds = fromScope ? ['scope_in', 'scope_out'] : ['promises'];
        const entries = mapped.flatMap((m, field) =>
          kinds.includes(m.mapsTo) && Array.isArray(m.value)
            ? m.value.map((v: unknown, index: number) => ({ field, index, text: textOf(v), kind: m.mapsTo }))
            : [],
        );
        const once = entries.filter(
          (e) => e.text && entries.filter((o) => o.kind === e.kind && o.text === e.text).length === 1,
        );
        fc.pre(once.length > 0);
        const out = once[pick % once.length]!;
        const fewer = mapped.map((m, field) =>
          field === out.field
            ? { ...m, value: (m.value as unknown[]).filter((_v, index) => index !== out.index) }
            : m,
        );
        const second = plan(after, fewer);
        const removed = [...second.promises.remove, ...second.scopeItems.remove];
        // What was recorded by hand stays whatever the packet says.
        const records = fromScope
          ? after.scopeItems.filter(
              (s) =>
                `scope_${s.kind}` === out.kind && norm(s.description) === out.text && s.from_packet === 1,
            )
          : after.promises.filter(
              (p) => norm(p.text) === out.text && p.status === 'open' && p.from_packet === 1,
            );
        expect(removed).toEqual(records);
        expect(second.audit.length).toBe(removed.length);
      }),
      RUNS,
    );
  });

  it('never touches records the packet does not make: recorded by hand, promises already settled, contacts it does not name, rungs it leaves out', () => {
    fc.assert(
      fc.property(world, packet, (w, mapped) => {
        const p = plan(w, mapped);
        const byHand = [...w.promises, ...w.scopeItems].filter((r) => r.from_packet === 0).map((r) => r.id);
        for (const id of [...p.promises.change, ...p.promises.remove, ...p.scopeItems.remove].map(
          (r) => r.id,
        ))
          expect(byHand).not.toContain(id);
        const settled = w.promises.filter((r) => r.status !== 'open').map((r) => r.id);
        for (const r of p.promises.remove) expect(settled).not.toContain(r.id);
        // A contact keeps its own role; only one filed under `other` takes the packet's.
        for (const c of p.contacts.change) expect(w.contacts.find((r) => r.id === c.id)?.role).toBe('other');
        const people = mapped
          .filter((m) => m.mapsTo === 'contacts')
          .flatMap((m) => (Array.isArray(m.value) ? m.value : [m.value]));
        for (const c of p.contacts.change)
          expect(people.some((person) => names(person, w.contacts.find((r) => r.id === c.id)!))).toBe(true);
        // Scope items of a kind the packet does not map stay.
        for (const r of p.scopeItems.remove) expect(mapped.map((m) => m.mapsTo)).toContain(`scope_${r.kind}`);
        // The ladder changes only in the rungs the packet fills in.
        const filled = mapped
          .filter((m) => m.mapsTo.startsWith('success.') && typeof m.value === 'string' && m.value.trim())
          .map((m) => m.mapsTo.slice('success.'.length));
        for (const rung of Object.keys(p.ladder.change?.set ?? {}))
          if (rung !== 'handoff_id' && rung !== 'updated_at') expect(filled).toContain(rung);
      }),
      RUNS,
    );
  });

  it('gives every change its audit entry, and no entry without a change', () => {
    fc.assert(
      fc.property(world, packet, (w, mapped) => {
        const p = plan(w, mapped);
        const entries = (action: string, id: string) =>
          p.audit.filter((e) => e.action === action && e.entityId === id).length;
        for (const r of p.promises.add) expect(entries('promise.recorded', r.id)).toBe(1);
        for (const c of p.promises.change) expect(entries('promise.updated', c.id)).toBe(1);
        for (const r of p.promises.remove) expect(entries('promise.removed', r.id)).toBe(1);
        for (const r of p.scopeItems.add) expect(entries('scope_item.recorded', r.id)).toBe(1);
        for (const r of p.scopeItems.remove) expect(entries('scope_item.removed', r.id)).toBe(1);
        for (const r of p.contacts.add) expect(entries('contact.created', r.id)).toBe(1);
        for (const c of p.contacts.change) expect(entries('contact.updated', c.id)).toBe(1);
        if (p.ladder.add) expect(entries('success_ladder.recorded', p.ladder.add.id)).toBe(1);
        if (p.ladder.change) expect(entries('success_ladder.updated', p.ladder.change.id)).toBe(1);
        const changed = new Set([
          ...p.promises.add.map((r) => r.id),
          ...p.promises.change.map((c) => c.id),
          ...p.promises.remove.map((r) => r.id),
          ...p.scopeItems.add.map((r) => r.id),
          ...p.scopeItems.remove.map((r) => r.id),
          ...p.contacts.add.map((r) => r.id),
          ...p.contacts.change.map((c) => c.id),
          ...(p.ladder.add ? [p.ladder.add.id] : []),
          ...(p.ladder.change ? [p.ladder.change.id] : []),
        ]);
        for (const e of p.audit) expect(changed).toContain(e.entityId);
      }),
      RUNS,
    );
  });
});

/** The normalised text of a promise or scope entry of a packet; empty when it says nothing. */
function textOf(v: unknown): string {
  if (typeof v === 'string') return norm(v);
  const entry = v as { text?: unknown; description?: unknown } | null;
  const text = entry?.text ?? entry?.description;
  return typeof text === 'string' ? norm(text) : '';
}

/** Whether a person a packet names is this contact, as reconciling matches them. */
function names(person: { name?: string; email?: string; contact_id?: string }, c: ContactFacts): boolean {
  const email = person.email?.trim().toLowerCase();
  return (
    person.contact_id === c.id ||
    (!!email && c.email?.toLowerCase() === email) ||
    norm(person.name ?? '') === norm(c.name)
  );
}

describe('the substance planner, by example', () => {
  const empty: SubstanceWorld = {
    handoffId: 'handoff-1',
    engagementId: 'engagement-1',
    accountId: 'account-1',
    promises: [],
    scopeItems: [],
    contacts: [{ id: 'contact-0', name: 'Dana Whitfield', email: 'dana@client.example', role: 'other' }],
    ladder: null,
  };

  it('matches people once every new contact is known, so a second submit finds them where the first did', () => {
    // The buyer is written down with the champion's e-mail address.
    const mapped: MappedField[] = [
      {
        mapsTo: 'contacts',
        contactRole: 'buyer',
        value: { name: 'Dana Whitfield', email: 'luis@client.example' },
      },
      {
        mapsTo: 'contacts',
        contactRole: undefined,
        value: [{ name: 'Luis Ortega', email: 'luis@client.example' }],
      },
    ];
    const first = plan(empty, mapped);
    expect(first.contacts.add.map((c) => [c.name, c.role])).toEqual([['Luis Ortega', 'buyer']]);
    expect(first.contacts.change).toEqual([]);
    expect(first.audit.map((e) => e.action)).toEqual(['contact.created', 'contact.updated']);
    expect(isEmptySubstancePlan(plan(applied(empty, first), mapped))).toBe(true);
  });
});

/**
 * fast-check arbitraries for handoff packets, built from a transition's definition. Test support only.
 */
import fc from 'fast-check';
import type { FieldDef, Packet, TransitionDef } from '../../src/playbooks/domain/playbook.js';
import { EXAMPLE_USERS } from './example-packets.js';

const junk = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.string({ maxLength: 5 }),
);

/** Text that is never blank. */
const nonBlank = (maxLength = 30) => fc.string({ maxLength: maxLength - 1 }).map((s) => `x${s}`);

const validDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const validEmail = fc.constantFrom('ann@example.com', 'b.c@lender.example', 'ops+1@firm.example');

/** A user a `user` field may name: one of the example users (see `EXAMPLE_USERS`), of its team. */
const knownUser = (field: FieldDef) => {
  const members = EXAMPLE_USERS.filter((u) => field.team === undefined || u.teams.includes(field.team));
  return fc.constantFrom(...(members.length > 0 ? members : EXAMPLE_USERS).map((u) => u.email));
};

/** Values of any quality (valid, blank, wrong type, malformed) for a field. */
export function anyValue(field: FieldDef): fc.Arbitrary<unknown> {
  const max = field.maxLength ?? (field.type === 'long_text' ? 20000 : 2000);
  switch (field.type) {
    case 'text':
    case 'long_text':
      return fc.oneof(nonBlank(), fc.constantFrom('', '   ', '\n'), fc.constant('y'.repeat(max + 1)), junk);
    case 'number':
      return fc.oneof(fc.integer({ min: -10, max: 200_000 }), fc.double({ noNaN: true }), junk);
    case 'money':
      return fc.oneof(
        fc.record(
          {
            amount_minor: fc.oneof(fc.integer(), fc.double()),
            currency: fc.constantFrom('USD', 'EUR', 'usd', '', 'EURO'),
          },
          { requiredKeys: [] },
        ),
        junk,
      );
    case 'date':
      return fc.oneof(validDate, fc.constantFrom('2025-02-30', '12/03/2025', ''), junk);
    case 'enum': {
      const values = (field.options ?? []).map((o) => o.value);
      const one = fc.constantFrom(...values, 'not-an-option');
      return field.multiple ? fc.oneof(fc.array(one, { maxLength: 3 }), junk) : fc.oneof(one, junk);
    }
    case 'contact':
      return fc.oneof(
        fc.record(
          {
            name: fc.oneof(nonBlank(), fc.constantFrom('', ' ')),
            email: fc.constantFrom('ann@example.com', 'nope'),
          },
          { requiredKeys: [] },
        ),
        fc.record({ name: nonBlank(), nickname: nonBlank() }),
        junk,
      );
    case 'user':
      return fc.oneof(knownUser(field), fc.constantFrom('not an email', ''), junk);
    case 'list':
      return fc.oneof(
        fc.array(fc.oneof(nonBlank(), fc.constant(' '), fc.integer(), validDate), { maxLength: 3 }),
        junk,
      );
    case 'table':
      return fc.oneof(
        fc.array(
          fc.oneof(
            fc.record(Object.fromEntries((field.columns ?? []).map((c) => [c.key, anyValue(c)])), {
              requiredKeys: [],
            }),
            fc.constant({ unexpected: 1 }),
          ),
          { maxLength: 3 },
        ),
        junk,
      );
    case 'checklist':
      return fc.oneof(
        fc.record(Object.fromEntries((field.items ?? []).map((i) => [i.key, fc.oneof(fc.boolean(), junk)])), {
          requiredKeys: [],
        }),
        junk,
      );
    case 'yes_no':
      return fc.oneof(fc.boolean(), junk);
    default:
      return junk;
  }
}

/** Packets of any quality: missing, extra, blank and mistyped values, unknown sections and fields. */
export function anyPacket(transition: TransitionDef): fc.Arbitrary<unknown> {
  const sections = Object.fromEntries(
    transition.sections.map((section) => [
      section.key,
      fc.oneof(
        {
          weight: 8,
          arbitrary: fc.record(Object.fromEntries(section.fields.map((f) => [f.key, anyValue(f)])), {
            requiredKeys: [],
          }),
        },
        { weight: 1, arbitrary: fc.record({ unknown_field: fc.string() }) },
        { weight: 1, arbitrary: junk },
      ),
    ]),
  );
  return fc.oneof(
    { weight: 10, arbitrary: fc.record(sections, { requiredKeys: [] }) },
    {
      weight: 1,
      arbitrary: fc.record({ ...sections, unknown_section: fc.constant({}) }, { requiredKeys: [] }),
    },
    { weight: 1, arbitrary: junk },
  );
}

/** A value that satisfies the field in a complete packet. */
export function validValue(field: FieldDef): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'text':
    case 'long_text':
      return nonBlank(Math.min(30, field.maxLength ?? 30));
    case 'number':
      return fc.integer({ min: field.min ?? -1_000_000, max: field.max ?? 1_000_000 });
    case 'money':
      return fc.record({
        amount_minor: fc.integer({ min: field.minMinor ?? -1_000_000_000, max: 1_000_000_000 }),
        currency: field.currency ? fc.constant(field.currency) : fc.constantFrom('USD', 'EUR', 'GBP'),
      });
    case 'date':
      return validDate;
    case 'enum': {
      const one = fc.constantFrom(...(field.options ?? []).map((o) => o.value));
      return field.multiple ? fc.uniqueArray(one, { minLength: 1, maxLength: 3 }) : one;
    }
    case 'contact':
      return fc.record(
        {
          name: nonBlank(),
          role: fc.string({ maxLength: 20 }),
          email: validEmail,
          phone: fc.constant('+1 555 0100'),
        },
        { requiredKeys: ['name'] },
      );
    case 'user':
      return knownUser(field);
    case 'list': {
      const item: fc.Arbitrary<unknown> =
        field.of === 'number' ? fc.integer() : field.of === 'date' ? validDate : nonBlank();
      return fc.array(item, {
        minLength: Math.max(1, field.minItems ?? 0),
        maxLength: Math.max(3, field.minItems ?? 0),
      });
    }
    case 'table': {
      const columns = field.columns ?? [];
      const row = fc.record(Object.fromEntries(columns.map((c) => [c.key, validValue(c)])), {
        requiredKeys: columns.filter((c) => c.required).map((c) => c.key),
      });
      return fc.array(row, {
        minLength: Math.max(1, field.minItems ?? 0),
        maxLength: Math.max(3, field.minItems ?? 0),
      });
    }
    case 'checklist':
      return fc.constant(Object.fromEntries((field.items ?? []).map((i) => [i.key, true])));
    case 'yes_no':
      return fc.boolean();
    default:
      throw new Error(`no valid value for a ${field.type} field`);
  }
}

/**
 * Complete packets: every required and conditionally required field filled (a filled value satisfies any
 * condition), optional fields present or not.
 */
export function validPacket(transition: TransitionDef): fc.Arbitrary<Packet> {
  const sections = Object.fromEntries(
    transition.sections.map((section) => [
      section.key,
      fc.record(Object.fromEntries(section.fields.map((f) => [f.key, validValue(f)])), {
        requiredKeys: section.fields.filter((f) => f.required || f.requiredWhen).map((f) => f.key),
      }),
    ]),
  );
  return fc.record(sections) as fc.Arbitrary<Packet>;
}

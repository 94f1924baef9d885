import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PACKETS, EXAMPLE_USERS } from '../../../test/support/example-packets.js';
import { anyPacket, validPacket } from '../../../test/support/packet-arbitraries.js';
import { STAFFING_PLAYBOOK } from '../../../test/support/staffing-playbook.js';
import { loadBuiltinPlaybooks } from '../builtin/load-builtins.js';
import { createPacketValidator, type PacketIssue, type Readiness } from './packet-validator.js';
import { parsePlaybook } from './parse-playbook.js';
import type { Packet, TransitionDef } from './playbook.js';
import { userDirectory } from './user-directory.js';

const builtins = loadBuiltinPlaybooks();
/** The organisation the example packets were written for. */
const USERS = userDirectory(EXAMPLE_USERS);
const transitions = builtins.flatMap(({ playbook }) =>
  playbook.transitions.map((t) => ({ playbook: playbook.key, t })),
);

function transitionOf(playbookKey: string, transitionKey: string): TransitionDef {
  const found = transitions.find((x) => x.playbook === playbookKey && x.t.key === transitionKey);
  if (!found) throw new Error(`no ${playbookKey}/${transitionKey}`);
  return found.t;
}

function exampleOf(playbookKey: string, transitionKey: string): Packet {
  return structuredClone(EXAMPLE_PACKETS[playbookKey]?.[transitionKey] as Packet);
}

function issuesOf(result: Readiness): PacketIssue[] {
  return result.ready ? [] : result.issues;
}

const services = transitionOf('professional-services', 'sales-to-delivery');
const cleaning = transitionOf('field-service-first-visit', 'estimate-to-operations');
const integrator = transitionOf('security-integrator', 'sales-to-operations');
const closeout = transitionOf('security-integrator', 'operations-to-service');

describe('createPacketValidator', () => {
  it('names every missing field with its label, in playbook order', () => {
    const { checkReadiness } = createPacketValidator(services);
    const issues = issuesOf(checkReadiness({ goal: {}, scope: { in_scope: [] } }, USERS));
    expect(issues.map((i) => i.path)).toEqual([
      '/goal/client_goal',
      '/goal/success_metric',
      '/scope/in_scope',
      '/scope/out_of_scope',
      '/people/buyer',
      '/people/champion',
      '/promises/surprises',
      '/success/ultimate_objective',
      '/success/earliest_signal',
      '/success/minimum_outcome',
      '/success/early_win',
    ]);
    expect(issues[0]).toEqual({
      path: '/goal/client_goal',
      code: 'required',
      message: "Goal in the client's own words is required",
      field: 'goal.client_goal',
    });
    expect(issues.every((i) => i.code === 'required')).toBe(true);
  });

  it('treats blank text as missing and reports over-long text', () => {
    const packet = exampleOf('professional-services', 'sales-to-delivery');
    packet.goal = { client_goal: '   \n', success_metric: 'x'.repeat(2001) };
    expect(issuesOf(createPacketValidator(services).checkReadiness(packet, USERS))).toEqual([
      {
        path: '/goal/client_goal',
        code: 'required',
        message: "Goal in the client's own words is required",
        field: 'goal.client_goal',
      },
      {
        path: '/goal/success_metric',
        code: 'too_long',
        message: 'Success metric must be at most 2000 characters',
        field: 'goal.success_metric',
      },
    ]);
  });

  it('reports problems inside table rows with the row and column', () => {
    const packet = exampleOf('professional-services', 'sales-to-delivery');
    (packet.promises as Record<string, unknown>).promises = [
      { text: 'Free training day', made_by: 'Alex' },
      { text: 'Weekly report', in_contract: 'no', source: 'call' },
    ];
    expect(issuesOf(createPacketValidator(services).checkReadiness(packet, USERS))).toEqual([
      {
        path: '/promises/promises/1/made_by',
        code: 'required',
        message: 'Promised by in row 2 of Promises made during the sales cycle is required',
        field: 'promises.promises',
      },
      {
        path: '/promises/promises/1/in_contract',
        code: 'invalid_type',
        message:
          'In the contract in row 2 of Promises made during the sales cycle must be yes or no (true or false)',
        field: 'promises.promises',
      },
      {
        path: '/promises/promises/1/source',
        code: 'unknown_field',
        message: '"source" is not a column of Promises made during the sales cycle',
        field: 'promises.promises',
      },
    ]);
  });

  it('rejects unknown sections and fields, in drafts too', () => {
    const validator = createPacketValidator(services);
    const packet = { ...exampleOf('professional-services', 'sales-to-delivery'), extras: {} } as Packet;
    (packet.goal as Record<string, unknown>).budget = 'big';
    const expected = [
      {
        path: '/goal/budget',
        code: 'unknown_field',
        message: '"budget" is not a field of Goal and success metric',
      },
      { path: '/extras', code: 'unknown_field', message: '"extras" is not a section of this handoff' },
    ];
    expect(issuesOf(validator.checkReadiness(packet, USERS))).toEqual(expected);
    expect(issuesOf(validator.checkDraft(packet))).toEqual(expected);
  });

  it('reports wrong types and formats in plain words', () => {
    const packet = exampleOf('field-service-first-visit', 'estimate-to-operations');
    packet.scope = { ...packet.scope, square_footage: '1400', bathrooms: 2.5, has_stairs: 'yes' };
    packet.products = { products: 'bleach' };
    packet.timing = { ...packet.timing, first_visit_date: '2025-02-30' };
    packet.pricing = { quoted_price: { amount_minor: 24000, currency: 'usd' } };
    packet.client = { client: { name: 'Helen', email: 'helen at example' } };
    const issues = issuesOf(createPacketValidator(cleaning).checkReadiness(packet, USERS));
    expect(issues.map((i) => [i.path, i.code, i.message])).toEqual([
      ['/client/client/email', 'invalid_format', 'The e-mail of Client must be an e-mail address'],
      ['/scope/square_footage', 'invalid_type', 'Square footage must be a whole number'],
      ['/scope/bathrooms', 'invalid_type', 'Bathrooms must be a whole number'],
      ['/scope/has_stairs', 'invalid_type', 'Stairs must be yes or no (true or false)'],
      [
        '/products/products',
        'invalid_value',
        'Products must be one of: "eco_only" (Eco-only), "standard" (Standard kit), "client_supplied" (Client-supplied)',
      ],
      ['/timing/first_visit_date', 'invalid_format', 'First visit date must be a date written as YYYY-MM-DD'],
      [
        '/pricing/quoted_price/currency',
        'invalid_format',
        'The currency of Quoted price per visit must be a three-letter currency code such as EUR',
      ],
    ]);
  });

  it('checks number ranges and list sizes', () => {
    const packet = exampleOf('field-service-first-visit', 'estimate-to-operations');
    packet.scope = { ...packet.scope, square_footage: 10, bathrooms: 51 };
    const issues = issuesOf(createPacketValidator(cleaning).checkReadiness(packet, USERS));
    expect(issues.map((i) => [i.path, i.code, i.message])).toEqual([
      ['/scope/square_footage', 'invalid_value', 'Square footage must be at least 50'],
      ['/scope/bathrooms', 'invalid_value', 'Bathrooms must be at most 50'],
    ]);
  });

  it('names an amount below a money field’s min_minor when ready is asked, not when a draft is saved', () => {
    const packet = exampleOf('security-integrator', 'sales-to-operations');
    const lines = (packet.scope as { bill_of_materials: Record<string, unknown>[] }).bill_of_materials;
    lines[0]!.unit_price = { amount_minor: 0, currency: 'USD' };
    const validator = createPacketValidator(integrator);
    expect(issuesOf(validator.checkReadiness(packet, USERS)).map((i) => [i.path, i.code, i.message])).toEqual(
      [
        [
          '/scope/bill_of_materials/0/unit_price/amount_minor',
          'invalid_value',
          'The amount of Unit price in row 1 of Bill of materials must be more than zero',
        ],
      ],
    );
    expect(validator.checkDraft(packet)).toEqual({ ready: true });
    lines[0]!.unit_price = { amount_minor: 1, currency: 'USD' };
    expect(validator.checkReadiness(packet, USERS)).toEqual({ ready: true });
  });

  it('applies required_when both ways (equals)', () => {
    const validator = createPacketValidator(cleaning);
    const packet = exampleOf('field-service-first-visit', 'estimate-to-operations');
    delete packet.timing?.frequency;
    expect(issuesOf(validator.checkReadiness(packet, USERS))).toEqual([
      {
        path: '/timing/frequency',
        code: 'required',
        message: 'Frequency is required',
        field: 'timing.frequency',
      },
    ]);
    (packet.timing as Record<string, unknown>).recurring = false;
    expect(validator.checkReadiness(packet, USERS)).toEqual({ ready: true });
    // Drafts never require conditional fields.
    (packet.timing as Record<string, unknown>).recurring = true;
    expect(validator.checkDraft(packet)).toEqual({ ready: true });
  });

  it('applies required_when both ways (in), and when the whole section is missing', () => {
    const validator = createPacketValidator(closeout);
    const packet = exampleOf('security-integrator', 'operations-to-service');
    delete packet.warranty?.service_agreement_value;
    expect(issuesOf(validator.checkReadiness(packet, USERS)).map((i) => i.path)).toEqual([
      '/warranty/service_agreement_value',
    ]);
    (packet.warranty as Record<string, unknown>).service_agreement = 'none';
    expect(validator.checkReadiness(packet, USERS)).toEqual({ ready: true });

    const designCheck = exampleOf('security-integrator', 'sales-to-operations');
    (designCheck.scope as Record<string, unknown>).buildable_scope_confirmed = false;
    expect(
      issuesOf(createPacketValidator(integrator).checkReadiness(designCheck, USERS)).map((i) => i.path),
    ).toEqual(['/scope/design_gaps']);
  });

  it('names each required field when a whole section is missing', () => {
    const packet = exampleOf('field-service-first-visit', 'estimate-to-operations');
    delete packet.timing;
    expect(
      issuesOf(createPacketValidator(cleaning).checkReadiness(packet, USERS)).map((i) => i.path),
    ).toEqual(['/timing/first_visit_date', '/timing/arrival_window', '/timing/recurring']);
  });

  it('requires every item of a required checklist to be ticked', () => {
    const packet = exampleOf('security-integrator', 'operations-to-service');
    (packet.access as Record<string, unknown>).credentials_handed_over = {
      stored_securely: true,
      default_passwords_changed: false,
    };
    const issues = issuesOf(createPacketValidator(closeout).checkReadiness(packet, USERS));
    expect(issues).toEqual([
      {
        path: '/access/credentials_handed_over/default_passwords_changed',
        code: 'required',
        message: '"Default passwords changed on every device" in Credential handover must be ticked',
        field: 'access.credentials_handed_over',
      },
      {
        path: '/access/credentials_handed_over/customer_admin_confirmed',
        code: 'required',
        message:
          '"Customer administrator accounts confirmed with the customer" in Credential handover must be ticked',
        field: 'access.credentials_handed_over',
      },
    ]);
  });

  it('rejects a packet that is not an object', () => {
    for (const packet of [null, [], 'packet', 3]) {
      expect(issuesOf(createPacketValidator(services).checkReadiness(packet, USERS))).toEqual([
        { path: '', code: 'invalid_type', message: 'The packet must be an object' },
      ]);
    }
  });

  it('compiles once per transition and shares the validator', () => {
    const first = createPacketValidator(services);
    expect(createPacketValidator(services)).toBe(first);
    expect(Object.isFrozen(first.completeSchema)).toBe(true);
    expect(first.completeSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

describe('createPacketValidator properties', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv, ['date', 'email']);

  it.each(transitions)(
    '$playbook/$t.key: ready iff Ajv accepts the complete schema; paths are unique',
    ({ t }) => {
      const validator = createPacketValidator(t);
      const raw = ajv.compile(validator.completeSchema);
      const rawDraft = ajv.compile(validator.draftSchema);
      fc.assert(
        fc.property(anyPacket(t), (packet) => {
          for (const [result, valid] of [
            [validator.checkReadiness(packet, USERS), raw(packet)],
            [validator.checkDraft(packet), rawDraft(packet)],
          ] as const) {
            expect(result.ready).toBe(valid);
            if (!result.ready) {
              const paths = result.issues.map((i) => i.path);
              expect(new Set(paths).size).toBe(paths.length);
              expect(result.issues.every((i) => i.message.length > 0)).toBe(true);
            }
          }
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(transitions)('$playbook/$t.key: generated complete packets are ready', ({ t }) => {
    const validator = createPacketValidator(t);
    fc.assert(
      fc.property(validPacket(t), (packet) => {
        expect(validator.checkReadiness(packet, USERS)).toEqual({ ready: true });
      }),
      { numRuns: 100 },
    );
  });

  it.each(transitions)('$playbook/$t.key: removing any required field names that field', ({ t }) => {
    const validator = createPacketValidator(t);
    const required = t.sections.flatMap((s) =>
      s.fields
        .filter((f) => f.required || f.requiredWhen)
        .map((f) => [s.key, f.key, !!f.requiredWhen] as const),
    );
    fc.assert(
      fc.property(
        validPacket(t),
        fc.constantFrom(...required),
        (packet, [sectionKey, fieldKey, conditional]) => {
          const before = structuredClone(packet);
          delete packet[sectionKey]?.[fieldKey];
          const result = validator.checkReadiness(packet, USERS);
          const paths = issuesOf(result).map((i) => i.path);
          if (conditional) {
            // A conditional field is only required while its condition holds on the unchanged packet.
            const stillReady = validator.checkReadiness(before, USERS).ready && result.ready;
            if (stillReady) return;
          }
          expect(paths).toContain(`/${sectionKey}/${fieldKey}`);
          expect(issuesOf(result).find((i) => i.path === `/${sectionKey}/${fieldKey}`)?.code).toBe(
            'required',
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('user fields', () => {
  const parsed = parsePlaybook(STAFFING_PLAYBOOK, 'staffing.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const transition = parsed.playbook.transitions[0]!;
  const users = userDirectory([
    { email: 'olive@acme.test', teams: ['operations'] },
    { email: 'sid@acme.test', teams: ['service'] },
    { email: 'sam@acme.test', teams: ['sales'] },
  ]);

  it('names each user who is not an active user of the organisation, or not of the field’s team', () => {
    const validator = createPacketValidator(transition);
    const packet = {
      team: {
        lead: 'sam@acme.test',
        sponsor: 'nobody@nowhere.example',
        shadows: [{ who: 'SID@acme.test' }, { who: 'olive@acme.test' }, { who: 'ghost@acme.test' }],
      },
    };
    expect(validator.usersNamed(packet)).toEqual([
      'sam@acme.test',
      'nobody@nowhere.example',
      'SID@acme.test',
      'olive@acme.test',
      'ghost@acme.test',
    ]);
    expect(issuesOf(validator.checkReadiness(packet, users))).toEqual([
      {
        path: '/team/lead',
        code: 'not_in_team',
        message: 'Delivery lead names sam@acme.test, who is not a member of team operations',
        field: 'team.lead',
      },
      {
        path: '/team/sponsor',
        code: 'unknown_user',
        message:
          'Internal sponsor names nobody@nowhere.example, who is not an active user of this organisation',
        field: 'team.sponsor',
      },
      {
        path: '/team/shadows/1/who',
        code: 'not_in_team',
        message: 'Who in row 2 of Shadows names olive@acme.test, who is not a member of team service',
        field: 'team.shadows',
      },
      {
        path: '/team/shadows/2/who',
        code: 'unknown_user',
        message:
          'Who in row 3 of Shadows names ghost@acme.test, who is not an active user of this organisation',
        field: 'team.shadows',
      },
    ]);
    expect(
      validator.checkReadiness(
        { team: { lead: 'Olive@Acme.test', shadows: [{ who: 'sid@acme.test' }] } },
        users,
      ),
    ).toEqual({ ready: true });
  });

  it('reports a value that is not an e-mail address once, as a format problem', () => {
    const validator = createPacketValidator(transition);
    expect(issuesOf(validator.checkReadiness({ team: { lead: 'not an email' } }, users))).toEqual([
      expect.objectContaining({ path: '/team/lead', code: 'invalid_format' }),
    ]);
  });

  it('accepts `team` on user fields only', () => {
    const wrong = parsePlaybook(
      STAFFING_PLAYBOOK.replace('{ key: sponsor, type: user,', '{ key: sponsor, type: text, team: sales,'),
      'x.yaml',
    );
    expect(wrong.ok ? [] : wrong.errors.map((e) => e.message)).toEqual([
      '"team" only applies to user fields, not to a text field',
    ]);
  });
});

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PACKETS, EXAMPLE_USERS } from '../../../test/support/example-packets.js';
import { createPacketValidator } from '../domain/packet-validator.js';
import type { Packet, TransitionDef } from '../domain/playbook.js';
import { userDirectory } from '../domain/user-directory.js';
import { loadBuiltinPlaybooks } from './load-builtins.js';

const builtins = loadBuiltinPlaybooks();
/** The organisation the example packets were written for. */
const USERS = userDirectory(EXAMPLE_USERS);
const transitions = builtins.flatMap(({ playbook }) =>
  playbook.transitions.map((transition) => ({ playbook: playbook.key, transition })),
);

/** The example packet of a transition, deep-copied so tests may change it. */
function example(playbook: string, transition: TransitionDef): Packet {
  const packet = EXAMPLE_PACKETS[playbook]?.[transition.key];
  if (!packet) throw new Error(`no example packet for ${playbook}/${transition.key}`);
  return structuredClone(packet);
}

describe('built-in playbooks', () => {
  it('loads the six built-ins, one per seed scenario', () => {
    expect(builtins.map((b) => b.playbook.key)).toEqual([
      'field-service-first-visit',
      'implementation-to-success',
      'mortgage-concierge',
      'professional-services',
      'residential-care-intake',
      'security-integrator',
    ]);
    expect(transitions.map((t) => `${t.playbook}/${t.transition.key}`)).toEqual([
      'field-service-first-visit/estimate-to-operations',
      'implementation-to-success/implementation-to-success',
      'mortgage-concierge/loan-officer-to-concierge',
      'professional-services/sales-to-delivery',
      'residential-care-intake/admissions-to-care',
      'security-integrator/sales-to-operations',
      'security-integrator/operations-to-service',
    ]);
    for (const { playbook } of builtins) {
      for (const transition of playbook.transitions) {
        expect(transition.rejectionReasons.length).toBeGreaterThanOrEqual(4);
        expect(transition.checkpoints.length).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it.each(transitions)(
    '$playbook/$transition.key: schemas compile under Ajv strict mode',
    ({ transition }) => {
      const ajv = new Ajv2020({ allErrors: true, strict: true });
      addFormats.default(ajv, ['date', 'email']);
      const validator = createPacketValidator(transition);
      expect(() => ajv.compile(validator.completeSchema)).not.toThrow();
      expect(() => ajv.compile(validator.draftSchema)).not.toThrow();
    },
  );

  it.each(transitions)(
    '$playbook/$transition.key: the example packet is ready',
    ({ playbook, transition }) => {
      const validator = createPacketValidator(transition);
      expect(validator.checkReadiness(example(playbook, transition), USERS)).toEqual({ ready: true });
      expect(validator.checkDraft(example(playbook, transition))).toEqual({ ready: true });
      expect(validator.checkDraft({})).toEqual({ ready: true });
    },
  );

  it.each(transitions)(
    '$playbook/$transition.key: removing each required field reports exactly that path as required',
    ({ playbook, transition }) => {
      const validator = createPacketValidator(transition);
      const required = transition.sections.flatMap((s) =>
        s.fields.filter((f) => f.required).map((f) => [s.key, f.key] as const),
      );
      expect(required.length).toBeGreaterThan(0);
      for (const [sectionKey, fieldKey] of required) {
        const packet = example(playbook, transition);
        delete packet[sectionKey]?.[fieldKey];
        const result = validator.checkReadiness(packet, USERS);
        expect(result.ready ? [] : result.issues.map((i) => [i.path, i.code, i.field])).toEqual([
          [`/${sectionKey}/${fieldKey}`, 'required', `${sectionKey}.${fieldKey}`],
        ]);
      }
    },
  );

  it('keeps the professional-services packet to exactly the transfer-packet items', () => {
    const ps = builtins.find((b) => b.playbook.key === 'professional-services')?.playbook;
    const [transition] = ps?.transitions ?? [];
    const fields = transition?.sections.flatMap((s) =>
      s.fields.map(
        (f) => `${s.key}.${f.key}:${f.type}:${f.required ? 'required' : 'optional'}:${f.mapsTo ?? '-'}`,
      ),
    );
    expect(fields).toEqual([
      'goal.client_goal:long_text:required:success.goal',
      'goal.success_metric:text:required:success.metric',
      'scope.in_scope:list:required:scope_in',
      'scope.out_of_scope:list:required:scope_out',
      'people.buyer:contact:required:contacts',
      'people.champion:contact:required:contacts',
      'promises.promises:table:optional:promises',
      'promises.surprises:long_text:required:-',
      'success.ultimate_objective:long_text:required:success.ultimate_objective',
      'success.earliest_signal:long_text:required:success.earliest_signal',
      'success.minimum_outcome:long_text:required:success.minimum_outcome',
      'success.early_win:long_text:required:success.early_win',
    ]);
    expect(transition?.sections.flatMap((s) => s.fields).some((f) => f.requiredWhen)).toBe(false);
    expect(transition).toMatchObject({
      senderTeam: 'sales',
      receiverTeam: 'operations',
      from: 'sales',
      to: 'delivery',
    });
  });

  it('asks the surprise-factor question in the residential-care intake', () => {
    const care = builtins.find((b) => b.playbook.key === 'residential-care-intake')?.playbook;
    const field = care?.transitions[0]?.sections
      .flatMap((s) => s.fields)
      .find((f) => f.key === 'surprise_factor');
    expect(field).toMatchObject({
      type: 'long_text',
      required: true,
      prompt: "What haven't I told you that might surprise you when this child arrives?",
    });
  });

  it('names, on every checkpoint, the side that does the work and what closing does to it', () => {
    const checkpoints = transitions.flatMap(({ playbook, transition }) =>
      transition.checkpoints.map(
        (c) => `${playbook}/${c.key}: ${c.owner ?? '-'}, on close ${c.onClose ?? '-'}`,
      ),
    );
    expect(checkpoints).toEqual([
      // "placed by operations, not by sales"
      'field-service-first-visit/confirmation_call: receiver, on close require',
      // "the implementation team must conduct a mandatory debrief with the incoming customer success unit"
      'implementation-to-success/internal_debrief: sender, on close require',
      // the implementation team validates the deliverables and secures the client's sign-off
      'implementation-to-success/closeout_meeting: sender, on close require',
      'implementation-to-success/satisfaction_survey: receiver, on close keep',
      'implementation-to-success/quiet_user_check: receiver, on close keep',
      // the loan officer's "clear succinct email"
      'mortgage-concierge/introduction_email: sender, on close require',
      'mortgage-concierge/concierge_first_contact: receiver, on close require',
      'professional-services/promise_audit: receiver, on close require',
      'professional-services/acceptance_review: receiver, on close require',
      'professional-services/joint_kickoff: receiver, on close require',
      'professional-services/follow_up_review: receiver, on close require',
      // "operations' satisfaction score at the 30-day mark", which may come after delivery closes
      'professional-services/thirty_day_check: receiver, on close keep',
      // "the admissions lead talks through the child's story"
      'residential-care-intake/live_handoff_meeting: sender, on close require',
      // "the operations team meets to compare what they experienced"
      'residential-care-intake/follow_up_review: receiver, on close require',
      'security-integrator/handoff_meeting: sender, on close require',
      'security-integrator/joint_kickoff: receiver, on close require',
      // operations introduces the service lead and has the customer sign the project off
      'security-integrator/service_introduction: sender, on close require',
      'security-integrator/closeout_meeting: sender, on close require',
    ]);
  });
});

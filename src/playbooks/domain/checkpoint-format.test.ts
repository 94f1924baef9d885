import { describe, expect, it } from 'vitest';
import {
  checkpointErrors as errorsOf,
  playbookWithCheckpoints,
} from '../../../test/support/checkpoint-playbook.js';
import { parsePlaybook } from './parse-playbook.js';

describe('checkpoints in a playbook', () => {
  it('compiles kinds, owners, escalation, attendees, scripts, comparisons and auto-completion', () => {
    const result = parsePlaybook(
      playbookWithCheckpoints(`      - key: kickoff
        name: Kickoff
        kind: meeting
        due: 5 business days after accepted
        owner: receiver
        escalate_to: { role: admin }
        required_attendees: [seller]
      - key: call
        name: Call
        kind: confirmation_call
        due: 24 hours before first_visit
        script:
          - { key: entry, question: How do we get in? }
      - key: review
        name: Review
        kind: follow_up_review
        due: 72 hours after kickoff
        compare: [basics.goal]
        gap_categories: [missing]
      - key: sla
        name: Acceptance SLA
        due: 2 business days after submitted
        completed_by: [accepted, rejected]
      - key: check
        name: Check
        kind: satisfaction_check
        due: 30 days after accepted
        opens: 4 weeks after accepted
        on_close: keep
`),
      'demo.yaml',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.playbook.transitions[0]?.checkpoints).toEqual([
      {
        key: 'kickoff',
        name: 'Kickoff',
        kind: 'meeting',
        due: '5 business days after accepted',
        owner: 'receiver',
        escalateTo: { role: 'admin' },
        requiredAttendees: ['seller'],
      },
      {
        key: 'call',
        name: 'Call',
        kind: 'confirmation_call',
        due: '24 hours before first_visit',
        script: [{ key: 'entry', question: 'How do we get in?' }],
      },
      {
        key: 'review',
        name: 'Review',
        kind: 'follow_up_review',
        due: '72 hours after kickoff',
        compare: ['basics.goal'],
        gapCategories: ['missing'],
      },
      {
        key: 'sla',
        name: 'Acceptance SLA',
        due: '2 business days after submitted',
        completedBy: ['accepted', 'rejected'],
      },
      {
        key: 'check',
        name: 'Check',
        kind: 'satisfaction_check',
        due: '30 days after accepted',
        opens: '4 weeks after accepted',
        onClose: 'keep',
      },
    ]);
  });

  it('reports every checkpoint problem at once, with its line', () => {
    expect(
      errorsOf(`      - key: a
        name: A
        due: whenever
        script:
          - { key: q, question: Q? }
      - key: b
        name: B
        kind: follow_up_review
        due: 3 business weeks after accepted
      - key: c
        name: C
        kind: follow_up_review
        due: 72 hours after kickoff
        compare: [basics.gaol]
        escalate_to: { role: admin, team: ops }
        completed_by: [acepted]
`),
    ).toEqual([
      '29 /transitions/0/checkpoints/0/due must read "<number> [business] minutes|hours|days|weeks after|before <event>", "before <event>" or "at <event>", e.g. "2 business days after contract_signed"',
      '30 /transitions/0/checkpoints/0/script "script" only applies to confirmation_call checkpoints, not to a task checkpoint',
      '32 /transitions/0/checkpoints/1/compare a follow_up_review checkpoint needs "compare": the fields (section.field) to compare',
      '35 /transitions/0/checkpoints/1/due business time is counted in minutes, hours or days, not weeks',
      '40 /transitions/0/checkpoints/2/compare/0 compare refers to unknown field "basics.gaol" (did you mean "basics.goal"?); name a field of this transition as section.field',
      '41 /transitions/0/checkpoints/2/escalate_to must have at most 1 key',
      '42 /transitions/0/checkpoints/2/completed_by/0 must be one of: created, submitted, accepted, rejected, withdrawn, delivery_started, closed; got the text "acepted" (did you mean "accepted"?)',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../src/calendar/domain/business-calendar.js';
import { settingsOfTransition } from '../src/checkpoints/domain/checkpoint-settings.js';
import { plannedTimeline } from '../src/checkpoints/domain/checkpoint-timing.js';
import { loadBuiltinPlaybooks } from '../src/playbooks/builtin/load-builtins.js';

/**
 * The deadlines each built-in playbook promises, read as its users would: the contract signed on
 * a Tuesday at 10:00 in New York (Monday to Friday, nine to five), every event and milestone at
 * that moment, and each checkpoint that others count from held when due. Each line pairs the
 * time with the words of the seed article it comes from; where the seed names no time, the
 * playbook's choice is said as such.
 */
const SIGNED = new Date('2026-03-03T15:00:00.000Z'); // Tuesday 3 March 2026, 10:00 EST
const ZONE = 'America/New_York';

const EXPECTED: Record<string, string[]> = {
  'security-integrator': [
    'sales-to-operations/handoff_meeting: due Thu 5 Mar 10:00, open from Tue 3 Mar 10:00 · "Within 48 hours of contract signing, schedule a sales-to-ops handoff meeting"',
    'sales-to-operations/joint_kickoff: due Tue 17 Mar 10:00, open from Tue 3 Mar 10:00 · "Having the salesperson attend the project kickoff" (no time in the seed: ten working days)',
    'operations-to-service/service_introduction: due Tue 10 Mar 10:00, open from Tue 3 Mar 10:00 · "Introduce the service or account manager before project completion"',
    'operations-to-service/closeout_meeting: due Tue 10 Mar 10:00, open from Tue 3 Mar 10:00 · "Before the project is signed off" (no time in the seed: five working days)',
  ],
  'professional-services': [
    'sales-to-delivery/promise_audit: due Tue 3 Mar 10:00, open from Tue 3 Mar 10:00 · "a \'promise audit\' before close"',
    'sales-to-delivery/acceptance_review: due Thu 5 Mar 10:00, open from Tue 3 Mar 10:00 · "expectations around when handoffs happen, how quickly they are accepted" (two working days)',
    'sales-to-delivery/joint_kickoff: due Tue 10 Mar 10:00, open from Tue 3 Mar 10:00 · "the salesperson stays on the line for the first thirty minutes" (no time in the seed: five working days)',
    'sales-to-delivery/follow_up_review: due Fri 13 Mar 10:00, open from Thu 12 Mar 10:00 · "a 72-hour follow-up review"',
    'sales-to-delivery/thirty_day_check: due Thu 2 Apr 10:00, open from Tue 31 Mar 10:00 · "operations\' satisfaction score at the 30-day mark"',
  ],
  'residential-care-intake': [
    'admissions-to-care/live_handoff_meeting: due Tue 3 Mar 10:00, open from Tue 3 Mar 10:00 · "a live handoff meeting ... before a child walks through our doors"',
    'admissions-to-care/follow_up_review: due Fri 6 Mar 10:00, open from Thu 5 Mar 10:00 · "a 72-hour follow-up review. After a child settles in"',
  ],
  'field-service-first-visit': [
    'estimate-to-operations/confirmation_call: due Mon 2 Mar 10:00, open from Sun 1 Mar 10:00 · "a 24-hour pre-service confirmation call ... the day before the first visit"',
  ],
  'mortgage-concierge': [
    'loan-officer-to-concierge/introduction_email: due Wed 4 Mar 10:00, open from Tue 3 Mar 10:00 · "a clear succinct email" (no time in the seed: the next working day)',
    'loan-officer-to-concierge/concierge_first_contact: due Wed 4 Mar 10:00, open from Tue 3 Mar 10:00 · "the loan concierge is there to hold your hand every step of the way" (the next working day)',
  ],
  'implementation-to-success': [
    'implementation-to-success/internal_debrief: due Tue 10 Mar 10:00, open from Tue 3 Mar 10:00 · "Before any final sign off meeting occurs with the client, ... a mandatory debrief"',
    'implementation-to-success/closeout_meeting: due Tue 10 Mar 10:00, open from Tue 3 Mar 10:00 · "the final closeout meeting ... secure the documented sign off" (no time in the seed: five working days)',
    'implementation-to-success/satisfaction_survey: due Wed 4 Mar 10:00, open from Tue 3 Mar 10:00 · "Automated survey delivery can capture client feedback at the exact moment of project completion"',
    'implementation-to-success/quiet_user_check: due Thu 2 Apr 10:00, open from Tue 31 Mar 10:00 · "If users go quiet for 30 days post implementation"',
  ],
};

const local = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const when = (d: Date) => local.format(d).replace(',', '').replace(' at ', ' ');

describe('built-in deadlines for a contract signed on a Tuesday at 10:00', () => {
  const builtins = loadBuiltinPlaybooks();

  it('covers every built-in playbook', () => {
    expect(builtins.map((b) => b.playbook.key).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(builtins.map((b) => [b.playbook.key, b] as const))(
    '%s reads as its seed says',
    (key, { playbook }) => {
      const calendar = defaultCalendar(ZONE);
      const words = new Map(EXPECTED[key]!.map((line) => [line.slice(0, line.indexOf(':')), line]));
      const lines = playbook.transitions.flatMap((t) => {
        const plan = plannedTimeline(settingsOfTransition(t.checkpoints), SIGNED, calendar);
        return t.checkpoints.map((c) => {
          const name = `${t.key}/${c.key}`;
          const timing = plan.get(c.key);
          const seed = words.get(name)?.split(' · ')[1] ?? '(not in the table)';
          return timing
            ? `${name}: due ${when(timing.due)}, open from ${when(timing.opensAt)} · ${seed}`
            : `${name}: never timed · ${seed}`;
        });
      });
      console.log(`${key}\n  ${lines.join('\n  ')}`);
      expect(lines).toEqual(EXPECTED[key]);
    },
  );
});

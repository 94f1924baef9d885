import { describe, expect, it } from 'vitest';
import { checkpointErrors as errorsOf } from '../../../test/support/checkpoint-playbook.js';
import { checkCheckpointOrder } from './check-checkpoint-order.js';

describe('the order of a transition’s checkpoints', () => {
  it('accepts a debrief due before a closeout, windows, owners and what closing does', () => {
    expect(
      errorsOf(`      - key: debrief
        name: Debrief
        due: before closeout
        owner: sender
        on_close: require
      - key: closeout
        name: Closeout
        due: 5 business days after accepted
        owner: receiver
      - key: prep
        name: Prep
        due: 2 business days before closeout
      - key: check
        name: Check
        kind: satisfaction_check
        due: 30 days after accepted
        opens: 4 weeks after accepted
        on_close: keep
      - key: survey
        name: Survey
        due: 1 business day after closed
        on_close: keep
      - key: call
        name: Call
        due: 24 hours before first_visit
        opens: 2 days before first_visit
        owner: field_team
`),
    ).toEqual([]);
  });

  it('refuses every order that cannot be met, each at its line and path', () => {
    expect(
      errorsOf(`      - key: a
        name: A
        due: before b
      - key: b
        name: B
        due: 1 day after a
      - key: c
        name: C
        due: before d
      - key: d
        name: D
      - key: e
        name: E
        due: 4 hours before submitted
      - key: f
        name: F
        due: at accepted
      - key: g
        name: G
        due: 2 business days before h
      - key: h
        name: H
        due: 1 business day after accepted
      - key: i
        name: I
        due: 30 days after accepted
        opens: 31 days after accepted
      - key: j
        name: J
        due: 30 days after accepted
        opens: 1 day after submitted
      - key: k
        name: K
        due: 2 days after closed
        on_close: require
      - key: l
        name: L
        due: 1 day after withdrawn
      - key: m
        name: M
        due: 2 hours after m
      - key: n
        name: N
        due: 1 day after accepted
        owner: sendr
`),
    ).toEqual([
      '29 /transitions/0/checkpoints/0/due checkpoints counted from each other in a circle can never be timed: a → b → a',
      '35 /transitions/0/checkpoints/2/due counts from "d", a checkpoint without a usable "due": it never opens, so this one never would',
      '40 /transitions/0/checkpoints/4/due "submitted" is recorded when it happens, so a checkpoint due at or before it is late the moment it opens; give it time after the event (e.g. "1 business day after submitted")',
      '43 /transitions/0/checkpoints/5/due "accepted" is recorded when it happens, so a checkpoint due at or before it is late the moment it opens; give it time after the event (e.g. "1 business day after accepted")',
      '46 /transitions/0/checkpoints/6/due opens together with "h" but would be due the moment it opens or earlier: "h" is not due long enough after it opens for "2 business days before h"; give "h" more time or this one less',
      '53 /transitions/0/checkpoints/8/opens opens after the checkpoint is due ("30 days after accepted"); a window must open no later than its due time',
      '57 /transitions/0/checkpoints/9/opens must count from the same event as "due" ("accepted"), not from "submitted"',
      '61 /transitions/0/checkpoints/10/on_close opens when the handoff closes, so closing can neither wait for it nor waive it; use "keep"',
      '64 /transitions/0/checkpoints/11/due nothing opens after "withdrawn": withdrawing a handoff waives every checkpoint',
      '67 /transitions/0/checkpoints/12/due a checkpoint cannot be counted from itself',
      '71 /transitions/0/checkpoints/13/owner unknown owner "sendr" (did you mean "sender"?); say sender, receiver or the key of a team',
    ]);
  });

  it('compares durations only where every calendar agrees', () => {
    // 24 hours before a kickoff due one business day after acceptance: late on a Monday, fine
    // after a Friday; that depends on the week, so it is not refused.
    expect(
      errorsOf(`      - key: call
        name: Call
        due: 24 hours before kickoff
      - key: kickoff
        name: Kickoff
        due: 1 business day after accepted
`),
    ).toEqual([]);
    // 25 hours before a kickoff one calendar day after: late on every calendar, DST or not.
    expect(
      errorsOf(`      - key: call
        name: Call
        due: 25 hours before kickoff
      - key: kickoff
        name: Kickoff
        due: 1 day after accepted
`),
    ).toHaveLength(1);
  });

  it('stays linear: fifty thousand checkpoints, each due before the next, are checked in seconds', () => {
    const n = 50_000;
    const chain = Array.from({ length: n }, (_, i) => ({
      key: `c${i}`,
      name: `C${i}`,
      due: i === n - 1 ? '99999 business days after accepted' : `1 minute before c${i + 1}`,
      on_close: 'require',
    }));
    const started = performance.now();
    expect(checkCheckpointOrder(chain, '/transitions/0/checkpoints')).toEqual([]);
    // A fraction of a second on an idle machine; walking the chain again from every checkpoint
    // (quadratic) would take many seconds.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

import { describe, expect, it } from 'vitest';
import {
  CLOSED_REASON,
  CLOSED_WHILE_OPEN_REASON,
  closeBlockers,
  mayOpenOn,
  settlementOf,
  WITHDRAWN_REASON,
  waiverAfterEnd,
} from './settle-checkpoints.js';

const require_ = { completedBy: [], onClose: 'require' } as const;
const waive = { completedBy: [], onClose: 'waive' } as const;
const keep = { completedBy: [], onClose: 'keep' } as const;

describe('what each move of a handoff does to its open checkpoints', () => {
  it('completes what the playbook says the event completes, before anything else', () => {
    expect(settlementOf('accepted', { completedBy: ['accepted'], onClose: 'require' })).toEqual({
      state: 'done',
      outcome: { completed_by_event: 'accepted' },
    });
  });

  it('waives everything on withdrawal, and on close what may be let go, keeping the rest', () => {
    for (const s of [require_, waive, keep])
      expect(settlementOf('withdrawn', s)).toEqual({ state: 'waived', reason: WITHDRAWN_REASON });
    expect(settlementOf('closed', waive)).toEqual({ state: 'waived', reason: CLOSED_REASON });
    expect(settlementOf('closed', keep)).toBeNull();
    expect(settlementOf('closed', require_)).toBeNull();
  });

  it('settles nothing on the other moves', () => {
    for (const event of ['created', 'submitted', 'accepted', 'rejected', 'delivery_started'])
      for (const s of [require_, waive, keep]) expect(settlementOf(event, s)).toBeNull();
  });

  it('waives what an ended handoff left open, unless it is meant to run on', () => {
    expect(waiverAfterEnd('withdrawn', keep)).toBe(WITHDRAWN_REASON);
    expect(waiverAfterEnd('closed', keep)).toBeNull();
    expect(waiverAfterEnd('closed', waive)).toBe(CLOSED_REASON);
    expect(waiverAfterEnd('closed', require_)).toBe(CLOSED_WHILE_OPEN_REASON);
    expect(waiverAfterEnd('in_delivery', require_)).toBeNull();
  });

  it('opens nothing on a withdrawn handoff and only what runs on after a close', () => {
    expect(mayOpenOn('withdrawn', keep)).toBe(false);
    expect(mayOpenOn('closed', keep)).toBe(true);
    expect(mayOpenOn('closed', require_)).toBe(false);
    expect(mayOpenOn('accepted', require_)).toBe(true);
  });

  it('names every open checkpoint that blocks the close, and only those', () => {
    const open = (key: string, settings: typeof require_ | typeof keep) => ({
      id: `id-${key}`,
      key,
      name: `The ${key}`,
      state: 'overdue',
      dueAt: '2026-03-10T14:00:00.000Z',
      ownerTeam: 'Operations',
      settings,
    });
    expect(
      closeBlockers([open('debrief', require_), open('survey', keep), open('closeout', require_)]),
    ).toEqual([
      {
        path: '/checkpoints/id-debrief',
        code: 'checkpoint_open',
        message:
          '"The debrief" (debrief, owned by Operations) is overdue, due 2026-03-10T14:00:00.000Z: complete it, or waive it with a reason, before closing',
      },
      expect.objectContaining({ path: '/checkpoints/id-closeout' }),
    ]);
  });
});

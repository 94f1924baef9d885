import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkpointFigures,
  kickoffHeldAt,
  localMonth,
  reviewComparisons,
  secondsBetween,
} from './fact-rows.js';

const row = {
  def_key: 'confirmation_call',
  kind: 'confirmation_call',
  state: 'done',
  due_at: '2026-05-10T12:00:00.000Z',
  overdue_at: null,
  completed_at: '2026-05-10T11:00:00.000Z',
  outcome: JSON.stringify({ kind: 'confirmation_call', answers: [], changed: true }),
};

describe('the facts of an instant and of a checkpoint', () => {
  it('counts an instant in the local month of the organisation', () => {
    expect(localMonth(new Date('2026-02-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03');
    expect(localMonth(new Date('2026-03-01T04:00:00Z'), 'America/New_York')).toBe('2026-02');
    expect(localMonth(new Date('2026-12-31T23:59:59Z'), 'UTC')).toBe('2026-12');
  });

  it('agrees with the UTC month in UTC, for any instant', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (d) => {
          expect(localMonth(d, 'UTC')).toBe(d.toISOString().slice(0, 7));
        },
      ),
    );
  });

  it('measures whole seconds forwards only', () => {
    expect(secondsBetween('2026-01-01T00:00:00Z', '2026-01-01T01:00:00.900Z')).toBe(3600);
    expect(secondsBetween('2026-01-01T01:00:00Z', '2026-01-01T00:00:00Z')).toBeNull();
    expect(secondsBetween(null, '2026-01-01T00:00:00Z')).toBeNull();
  });

  it('reads a confirmation call done in time that changed something', () => {
    expect(checkpointFigures(row, '2026-05-10T11:00:00.000Z')).toEqual({
      state: 'done',
      settled_at: '2026-05-10T11:00:00.000Z',
      on_time: 1,
      changed: 1,
      rating: null,
      gaps: null,
    });
  });

  it('keeps a checkpoint late once it went overdue, whatever it became', () => {
    const overdue = {
      ...row,
      overdue_at: '2026-05-10T12:00:30.000Z',
      completed_at: '2026-05-11T09:00:00.000Z',
    };
    expect(checkpointFigures(overdue, null).on_time).toBe(0);
    expect(
      checkpointFigures({ ...overdue, state: 'waived', completed_at: null, outcome: null }, 'x').on_time,
    ).toBe(0);
    expect(
      checkpointFigures({ ...row, state: 'waived', completed_at: null, outcome: null }, 'x').on_time,
    ).toBeNull();
    expect(
      checkpointFigures({ ...row, state: 'open', completed_at: null, outcome: null }, 'x'),
    ).toMatchObject({
      state: 'open',
      settled_at: null,
      on_time: null,
    });
  });

  it('counts the gaps of a review and finds the kickoff meeting by its key', () => {
    const review = JSON.stringify({
      kind: 'follow_up_review',
      comparisons: [
        { field: 'goal.client_goal', communicated: 'x', experienced: 'x', gap: false },
        { field: 'scope.in_scope', communicated: 'x', experienced: 'y', gap: true },
      ],
      gaps: 1,
    });
    expect(checkpointFigures({ ...row, kind: 'follow_up_review', outcome: review }, null).gaps).toBe(1);
    expect(reviewComparisons(review).map((c) => c.field)).toEqual(['goal.client_goal', 'scope.in_scope']);
    expect(reviewComparisons(null)).toEqual([]);
    const meeting = JSON.stringify({ kind: 'meeting', held_at: '2026-05-12T14:00:00.000Z', attendees: [] });
    expect(kickoffHeldAt({ def_key: 'joint_kickoff', kind: 'meeting', outcome: meeting })).toBe(
      '2026-05-12T14:00:00.000Z',
    );
    expect(kickoffHeldAt({ def_key: 'internal_debrief', kind: 'meeting', outcome: meeting })).toBeNull();
    // Completed by a lifecycle event, without an outcome of its own.
    expect(kickoffHeldAt({ def_key: 'kickoff', kind: 'meeting', outcome: null })).toBeNull();
  });
});

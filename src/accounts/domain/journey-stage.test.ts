import { describe, expect, it } from 'vitest';
import { stageAfter } from './journey-stage.js';

const STAGES = ['sales', 'operations', 'service'];

describe('the stage an accepted handoff moves an engagement to', () => {
  it.each([
    [null, 'operations', 'operations'],
    ['sales', 'operations', 'operations'],
    ['sales', 'service', 'service'],
    ['closed_won', 'operations', 'operations'],
    ['operations', 'operations', undefined],
    ['service', 'operations', undefined],
    ['sales', 'nowhere', undefined],
  ] as const)('from %s towards %s: %s', (current, target, want) => {
    expect(stageAfter(current, target, STAGES)).toBe(want);
  });
});

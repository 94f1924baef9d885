import { describe, expect, it } from 'vitest';
import { handoverPlaybook } from '../../../test/support/handover-playbook.js';
import { parsePlaybook } from './parse-playbook.js';

describe('the closeout checklist of a playbook', () => {
  it('compiles the items in the order written; a playbook without one has none', () => {
    const parsed = parsePlaybook(
      handoverPlaybook('closeout:\n  checklist: [operators_trained, no_open_punch_items]\n'),
      'handover.yaml',
    );
    expect(parsed.ok && parsed.playbook.closeout).toEqual({
      checklist: ['operators_trained', 'no_open_punch_items'],
    });
    const without = parsePlaybook(handoverPlaybook(''), 'handover.yaml');
    expect(without.ok && without.playbook.closeout).toBeUndefined();
  });

  it('names an unknown item, an item listed twice and an unknown key, each with its line', () => {
    const parsed = parsePlaybook(
      handoverPlaybook(
        'closeout:\n  checklist:\n    - operators_trained\n    - drawings\n    - operators_trained\n  sign_off: true\n',
      ),
      'handover.yaml',
    );
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    const at = (path: string) => errors.find((e) => e.path === path);
    expect(at('/closeout/checklist/1')?.message).toContain('must be one of');
    expect(at('/closeout/checklist/1')?.line).toBe(23);
    expect(at('/closeout/checklist/2')?.message).toBe(
      'duplicate checklist item "operators_trained" (first listed at line 22)',
    );
    expect(at('/closeout/sign_off')?.message).toContain('unknown key "sign_off"');
  });
});

import { describe, expect, it } from 'vitest';
import { parsePlaybook } from './parse-playbook.js';

const PLAYBOOK = (closeout: string) => `key: handover
name: Handover
stages:
  - { key: install, name: Install }
  - { key: service, name: Service }
transitions:
  - key: install-to-service
    name: Install to service
    from: install
    to: service
    sender_team: operations
    receiver_team: service
    rejection_reasons:
      - { code: incomplete, label: Incomplete }
    sections:
      - key: notes
        title: Notes
        fields:
          - { key: summary, type: text, label: Summary }
${closeout}`;

describe('the closeout checklist of a playbook', () => {
  it('compiles the items in the order written; a playbook without one has none', () => {
    const parsed = parsePlaybook(
      PLAYBOOK('closeout:\n  checklist: [operators_trained, no_open_punch_items]\n'),
      'handover.yaml',
    );
    expect(parsed.ok && parsed.playbook.closeout).toEqual({
      checklist: ['operators_trained', 'no_open_punch_items'],
    });
    const without = parsePlaybook(PLAYBOOK(''), 'handover.yaml');
    expect(without.ok && without.playbook.closeout).toBeUndefined();
  });

  it('names an unknown item, an item listed twice and an unknown key, each with its line', () => {
    const parsed = parsePlaybook(
      PLAYBOOK(
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

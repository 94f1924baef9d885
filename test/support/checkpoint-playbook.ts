import { parsePlaybook } from '../../src/playbooks/domain/parse-playbook.js';

/**
 * A small valid playbook — one transition `sales-to-ops` (sales sends, operations receives, one
 * text field `basics.goal`) — whose transition ends with the given `checkpoints:` entries, written
 * at six spaces of indentation. The first entry is on line 27. Test support only.
 */
export function playbookWithCheckpoints(checkpoints: string, key = 'demo'): string {
  return `key: ${key}
version: 1
name: Demo
stages:
  - key: sales
    name: Sales
  - key: ops
    name: Operations
transitions:
  - key: sales-to-ops
    name: Sales to ops
    from: sales
    to: ops
    sender_team: sales
    receiver_team: operations
    sections:
      - key: basics
        title: Basics
        fields:
          - key: goal
            type: text
            label: Goal
    rejection_reasons:
      - code: unclear
        label: Unclear
    checkpoints:
${checkpoints}`;
}

/** Every error of that playbook as `line path message`, in order; [] when it is valid. */
export function checkpointErrors(checkpoints: string): string[] {
  const result = parsePlaybook(playbookWithCheckpoints(checkpoints), 'demo.yaml');
  return result.ok ? [] : result.errors.map((e) => `${e.line} ${e.path} ${e.message}`);
}

import { describe, expect, it } from 'vitest';
import { loadBuiltinPlaybooks } from '../builtin/load-builtins.js';
import { playbookDefinition, playbookFromDefinition } from './definition-mapping.js';

/** Every object key at any depth of `value`. */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      keysOf(inner, out);
    }
  }
  return out;
}

describe('the playbook definition', () => {
  it.each(loadBuiltinPlaybooks().map((b) => [b.playbook.key, b] as const))(
    '%s maps to a snake_case definition and back without losing anything',
    (_key, builtin) => {
      const definition = playbookDefinition(builtin.playbook);
      for (const key of keysOf(definition)) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(playbookFromDefinition(definition)).toEqual(builtin.playbook);
      expect(definition.transitions[0]?.rejection_reasons.length).toBeGreaterThan(0);
    },
  );
});

import type { PlaybookDefinition, TransitionDefinition } from '../playbook-definition-schema.js';
import type { Playbook, TransitionDef } from './playbook.js';

/**
 * Maps between a playbook's definition (the YAML format's snake_case keys, as the API serves it; see
 * `playbook-definition-schema.ts`) and the compiled camelCase form the server works with
 * (`playbook.ts`). The two differ in the spelling of their keys alone: every key of one is the other's
 * in the other case (`sender_team` and `senderTeam`), and no key of either is chosen by an author
 * (fields, options and sections are lists of objects with a `key`, never mappings by name). So one
 * renaming serves both directions, and an attribute added to the compiled types needs no mapping.
 */

const toSnake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const toCamel = (key: string) => key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** A deep copy of `value` with every object key renamed, and undefined values left out. */
function renamed(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renamed(item, rename));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== undefined) out[rename(key)] = renamed(inner, rename);
  }
  return out;
}

/** A compiled playbook as the API serves it. */
export function playbookDefinition(playbook: Playbook): PlaybookDefinition {
  return renamed(playbook, toSnake) as PlaybookDefinition;
}

/** The compiled form of one transition of a definition (the web UI's packet editor works on it). */
export function transitionFromDefinition(definition: TransitionDefinition): TransitionDef {
  return renamed(definition, toCamel) as TransitionDef;
}

/**
 * The compiled form of a definition. Also takes a document that passed the meta-schema and the
 * semantic checks, whose defaults it fills in: `required: false` on fields and columns, no
 * checkpoints, and version 0 when it names none (it gets one when installed).
 */
export function playbookFromDefinition(definition: PlaybookDefinition): Playbook {
  const playbook = renamed(definition, toCamel) as Playbook;
  playbook.version ??= 0;
  for (const transition of playbook.transitions) {
    transition.checkpoints ??= [];
    for (const section of transition.sections) {
      for (const field of section.fields) {
        field.required ??= false;
        for (const column of field.columns ?? []) column.required ??= false;
      }
    }
  }
  return playbook;
}

import { type DueExpression, parseDueExpression } from '../../calendar/domain/due-expression.js';
import type { CheckpointDef, CheckpointKind, ScriptQuestion } from '../../playbooks/domain/playbook.js';

/** The five questions of the 24-hour confirmation call, when the playbook brings no script of its own. */
export const DEFAULT_SCRIPT: readonly ScriptQuestion[] = [
  { key: 'address_entry', question: 'Confirm the address and the entry method.' },
  { key: 'scope', question: 'Confirm the scope exactly as quoted.' },
  { key: 'products', question: 'Confirm the products to be used.' },
  { key: 'pets_children', question: 'Confirm the pets and children on site.' },
  { key: 'timeframe', question: 'Confirm the timeframe.' },
];

export const DEFAULT_GAP_CATEGORIES: readonly string[] = [
  'not_communicated',
  'inaccurate',
  'incomplete',
  'other',
];

/** A playbook checkpoint with every default filled in and its due expression parsed. */
export interface CheckpointSettings {
  key: string;
  name: string;
  description?: string;
  kind: CheckpointKind;
  due: DueExpression;
  dueText: string;
  owner: string;
  escalateTo: { role?: string; team?: string } | null;
  requiredAttendees: string[];
  script: ScriptQuestion[];
  compare: string[];
  gapCategories: string[];
  completedBy: string[];
}

/** The tracked form of a checkpoint; `undefined` for one without a usable `due` (it is not tracked). */
export function settingsOf(def: CheckpointDef): CheckpointSettings | undefined {
  if (!def.due) return undefined;
  const parsed = parseDueExpression(def.due);
  if (!parsed.ok) return undefined;
  const kind = def.kind ?? 'task';
  return {
    key: def.key,
    name: def.name,
    ...(def.description ? { description: def.description } : {}),
    kind,
    due: parsed.value,
    dueText: def.due,
    owner: def.owner ?? 'receiver',
    escalateTo: def.escalateTo ?? null,
    requiredAttendees: def.requiredAttendees ?? [],
    script: kind === 'confirmation_call' ? (def.script ?? [...DEFAULT_SCRIPT]) : [],
    compare: def.compare ?? [],
    gapCategories: kind === 'follow_up_review' ? (def.gapCategories ?? [...DEFAULT_GAP_CATEGORIES]) : [],
    completedBy: def.completedBy ?? [],
  };
}

/** Anchors that happen before or without acceptance; every other anchor lies downstream of it. */
const UPSTREAM_ANCHORS = new Set(['created', 'submitted', 'rejected', 'withdrawn', 'contract_signed']);

/**
 * True when the anchor lies downstream of acceptance (`accepted`, kickoff, first visit,
 * completion…): such checkpoints — and milestones — may only be recorded on an accepted handoff.
 */
export function isDownstreamOfAcceptance(anchor: string): boolean {
  return !UPSTREAM_ANCHORS.has(anchor);
}

/** Handoff states in which work downstream of acceptance may happen. */
export const ACCEPTED_STATES: readonly string[] = ['accepted', 'in_delivery', 'closed'];

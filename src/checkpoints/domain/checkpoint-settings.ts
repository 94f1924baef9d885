import { type DueExpression, parseDueExpression } from '../../calendar/domain/due-expression.js';
import type {
  CheckpointDef,
  CheckpointKind,
  CheckpointOnClose,
  ScriptQuestion,
} from '../../playbooks/domain/playbook.js';

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
  /** When its window opens, counted from the same event as `due`; absent: the default window. */
  opens?: DueExpression;
  opensText?: string;
  owner: string;
  escalateTo: { role?: string; team?: string } | null;
  requiredAttendees: string[];
  script: ScriptQuestion[];
  compare: string[];
  gapCategories: string[];
  completedBy: string[];
  onClose: CheckpointOnClose;
}

/**
 * The tracked checkpoints of a transition, with their defaults filled in; a checkpoint without a
 * usable `due` is not tracked. A checkpoint that opens with the handoff's close (counted from
 * `closed`, or due before one that is) is kept after it by default, since it cannot exist before.
 */
export function settingsOfTransition(defs: readonly CheckpointDef[]): CheckpointSettings[] {
  const tracked = defs.flatMap((def) => {
    const s = settingsOf(def);
    return s ? [{ def, s }] : [];
  });
  const byKey = new Map(tracked.map(({ s }) => [s.key, s]));
  return tracked.map(({ def, s }) =>
    def.onClose === undefined ? { ...s, onClose: defaultOnClose(s.kind, startAnchorOf(s, byKey)) } : s,
  );
}

/** One checkpoint with its defaults, judged alone (the default `on_close` ignores the others). */
function settingsOf(def: CheckpointDef): CheckpointSettings | undefined {
  if (!def.due) return undefined;
  const parsed = parseDueExpression(def.due);
  if (!parsed.ok) return undefined;
  const opens = def.opens === undefined ? undefined : parseDueExpression(def.opens);
  const kind = def.kind ?? 'task';
  return {
    key: def.key,
    name: def.name,
    ...(def.description ? { description: def.description } : {}),
    kind,
    due: parsed.value,
    dueText: def.due,
    ...(opens?.ok && def.opens ? { opens: opens.value, opensText: def.opens } : {}),
    owner: def.owner ?? 'receiver',
    escalateTo: def.escalateTo ?? null,
    requiredAttendees: def.requiredAttendees ?? [],
    script: kind === 'confirmation_call' ? (def.script ?? [...DEFAULT_SCRIPT]) : [],
    compare: def.compare ?? [],
    gapCategories: kind === 'follow_up_review' ? (def.gapCategories ?? [...DEFAULT_GAP_CATEGORIES]) : [],
    completedBy: def.completedBy ?? [],
    onClose: def.onClose ?? defaultOnClose(kind, parsed.value.anchor),
  };
}

/**
 * What closing does to an open checkpoint when the playbook does not say: a satisfaction check
 * looks back on the handoff on its own schedule and is kept, as is anything that only opens at the
 * close; everything else must be done or waived before the handoff closes.
 */
export function defaultOnClose(kind: CheckpointKind, startAnchor: string): CheckpointOnClose {
  return kind === 'satisfaction_check' || startAnchor === 'closed' ? 'keep' : 'require';
}

/**
 * The settings stored on a checkpoint row, completed with the defaults of attributes added since
 * the row was written (`on_close`).
 */
export function storedSettings(json: string): CheckpointSettings {
  const stored = JSON.parse(json) as Omit<CheckpointSettings, 'onClose'> & { onClose?: CheckpointOnClose };
  return { ...stored, onClose: stored.onClose ?? defaultOnClose(stored.kind, stored.due.anchor) };
}

/**
 * The checkpoint of the same transition this one is due before (`before internal_debrief`), if
 * any: such a checkpoint opens together with it and follows its planned time.
 */
export function beforeTargetOf(
  s: Pick<CheckpointSettings, 'due' | 'key'>,
  byKey: ReadonlyMap<string, unknown>,
): string | undefined {
  const { anchor, direction } = s.due;
  return direction === 'before' && anchor !== s.key && byKey.has(anchor) ? anchor : undefined;
}

/**
 * The event at which a checkpoint opens: its due anchor, or, for one due before another checkpoint,
 * the event at which that one opens (followed along the chain; a cycle, which `playbook validate`
 * refuses, stops where it closes).
 */
export function startAnchorOf(s: CheckpointSettings, byKey: ReadonlyMap<string, CheckpointSettings>): string {
  let current = s;
  const seen = new Set<string>([s.key]);
  for (;;) {
    const target = beforeTargetOf(current, byKey);
    const next = target === undefined ? undefined : byKey.get(target);
    if (!next || seen.has(next.key)) return current.due.anchor;
    seen.add(next.key);
    current = next;
  }
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

import type { ErrorDetail } from '../../kernel/errors.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import type { CheckpointSettings } from './checkpoint-settings.js';

export interface Attendance {
  role: string;
  name: string;
  email?: string;
  user_id?: string;
}
export interface ScriptAnswer {
  key: string;
  question: string;
  answer: string;
  changed: boolean;
  note?: string;
}
export interface Comparison {
  field: string;
  communicated: unknown;
  experienced: string;
  gap: boolean;
  category?: string;
  note?: string;
}

/** What a completed checkpoint recorded, by kind. */
export type Outcome =
  | { kind: 'task'; notes?: string }
  | { kind: 'meeting'; held_at: string; attendees: Attendance[]; notes?: string }
  | { kind: 'confirmation_call'; answers: ScriptAnswer[]; changed: boolean; notes?: string }
  | { kind: 'follow_up_review'; comparisons: Comparison[]; gaps: number; notes?: string }
  | { kind: 'satisfaction_check'; rating: number; comment?: string };

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
const optText = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The value a packet holds at `section.field`. */
function packetValue(packet: Packet, field: string): unknown {
  const [section, key] = field.split('.');
  return packet[section!]?.[key!] ?? null;
}

/**
 * Checks an outcome against the checkpoint's kind and playbook settings and answers it in its
 * stored form, or every problem at once (paths under `/outcome`).
 *
 * Example: a confirmation call missing the `products` answer and with an unknown `parking` answer
 * gives two issues, `/outcome/answers` (products is not answered) and `/outcome/answers/5/key`.
 */
export function checkOutcome(
  settings: CheckpointSettings,
  input: Raw,
  context: { packet: Packet; now: Date },
): { ok: true; outcome: Outcome } | { ok: false; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const notes = optText(input.notes);
  if (input.notes !== undefined && typeof input.notes !== 'string')
    issues.push({ path: '/outcome/notes', message: 'must be text' });
  const allowed: Record<string, string[]> = {
    task: ['notes'],
    meeting: ['held_at', 'attendees', 'notes'],
    confirmation_call: ['answers', 'notes'],
    follow_up_review: ['comparisons', 'notes'],
    satisfaction_check: ['rating', 'comment'],
  };
  for (const k of Object.keys(input)) {
    if (!allowed[settings.kind]!.includes(k))
      issues.push({
        path: `/outcome/${k}`,
        message: `is not part of a ${settings.kind} outcome (it takes ${allowed[settings.kind]!.join(', ')})`,
      });
  }
  let outcome: Outcome | undefined;
  switch (settings.kind) {
    case 'task':
      outcome = { kind: 'task', ...(notes ? { notes } : {}) };
      break;
    case 'meeting': {
      let heldAt = context.now.toISOString();
      if (input.held_at !== undefined) {
        const t = typeof input.held_at === 'string' ? Date.parse(input.held_at) : Number.NaN;
        if (Number.isNaN(t)) issues.push({ path: '/outcome/held_at', message: 'must be a date-time' });
        else if (t > context.now.getTime())
          issues.push({
            path: '/outcome/held_at',
            message: 'a meeting cannot be recorded as held in the future',
          });
        else heldAt = new Date(t).toISOString();
      }
      const attendees: Attendance[] = [];
      if (!Array.isArray(input.attendees)) {
        issues.push({
          path: '/outcome/attendees',
          message: 'list who attended, each with a role and a name',
        });
      } else {
        input.attendees.forEach((a, i) => {
          if (!isRecord(a) || blank(a.role) || blank(a.name)) {
            issues.push({ path: `/outcome/attendees/${i}`, message: 'needs a role and a name' });
            return;
          }
          attendees.push({
            role: String(a.role).trim(),
            name: String(a.name).trim(),
            ...(optText(a.email) ? { email: optText(a.email) } : {}),
            ...(optText(a.user_id) ? { user_id: optText(a.user_id) } : {}),
          });
        });
        for (const role of settings.requiredAttendees) {
          if (!attendees.some((a) => a.role === role))
            issues.push({
              path: '/outcome/attendees',
              message: `the ${role} must attend; no attendee has that role`,
            });
        }
      }
      outcome = { kind: 'meeting', held_at: heldAt, attendees, ...(notes ? { notes } : {}) };
      break;
    }
    case 'confirmation_call': {
      const answers: ScriptAnswer[] = [];
      if (!Array.isArray(input.answers)) {
        issues.push({ path: '/outcome/answers', message: 'answer every scripted question' });
      } else {
        const seen = new Set<string>();
        input.answers.forEach((a, i) => {
          const path = `/outcome/answers/${i}`;
          if (!isRecord(a)) {
            issues.push({ path, message: 'must be { key, answer, changed }' });
            return;
          }
          const q = settings.script.find((s) => s.key === a.key);
          if (!q) {
            issues.push({
              path: `${path}/key`,
              message: `no scripted question "${String(a.key)}" (the script asks ${settings.script.map((s) => s.key).join(', ')})`,
            });
            return;
          }
          if (seen.has(q.key)) issues.push({ path: `${path}/key`, message: `"${q.key}" is answered twice` });
          seen.add(q.key);
          if (blank(a.answer))
            issues.push({ path: `${path}/answer`, message: 'record what the customer said' });
          if (typeof a.changed !== 'boolean')
            issues.push({ path: `${path}/changed`, message: 'say whether anything changed (true or false)' });
          if (a.changed === true && blank(a.note) && blank(a.answer))
            issues.push({ path: `${path}/note`, message: 'say what changed' });
          answers.push({
            key: q.key,
            question: q.question,
            answer: typeof a.answer === 'string' ? a.answer.trim() : '',
            changed: a.changed === true,
            ...(optText(a.note) ? { note: optText(a.note) } : {}),
          });
        });
        for (const q of settings.script) {
          if (!seen.has(q.key))
            issues.push({ path: '/outcome/answers', message: `"${q.key}" is not answered: ${q.question}` });
        }
      }
      outcome = {
        kind: 'confirmation_call',
        answers,
        changed: answers.some((a) => a.changed),
        ...(notes ? { notes } : {}),
      };
      break;
    }
    case 'follow_up_review': {
      const comparisons: Comparison[] = [];
      if (!Array.isArray(input.comparisons)) {
        issues.push({ path: '/outcome/comparisons', message: 'compare every field the playbook names' });
      } else {
        const seen = new Set<string>();
        input.comparisons.forEach((c, i) => {
          const path = `/outcome/comparisons/${i}`;
          if (!isRecord(c)) {
            issues.push({ path, message: 'must be { field, experienced, gap, category? }' });
            return;
          }
          const field = String(c.field);
          if (!settings.compare.includes(field)) {
            issues.push({
              path: `${path}/field`,
              message: `"${field}" is not compared in this review (it compares ${settings.compare.join(', ')})`,
            });
            return;
          }
          if (seen.has(field))
            issues.push({ path: `${path}/field`, message: `"${field}" is compared twice` });
          seen.add(field);
          if (blank(c.experienced))
            issues.push({ path: `${path}/experienced`, message: 'record what was experienced' });
          if (typeof c.gap !== 'boolean')
            issues.push({ path: `${path}/gap`, message: 'say whether there is a gap (true or false)' });
          const category = optText(c.category);
          if (c.gap === true && !category)
            issues.push({
              path: `${path}/category`,
              message: `a gap needs a category: ${settings.gapCategories.join(', ')}`,
            });
          else if (category && !settings.gapCategories.includes(category))
            issues.push({
              path: `${path}/category`,
              message: `must be one of ${settings.gapCategories.join(', ')}`,
            });
          comparisons.push({
            field,
            communicated: c.communicated !== undefined ? c.communicated : packetValue(context.packet, field),
            experienced: typeof c.experienced === 'string' ? c.experienced.trim() : '',
            gap: c.gap === true,
            ...(c.gap === true && category ? { category } : {}),
            ...(optText(c.note) ? { note: optText(c.note) } : {}),
          });
        });
        for (const field of settings.compare) {
          if (!seen.has(field))
            issues.push({ path: '/outcome/comparisons', message: `"${field}" is not compared` });
        }
      }
      outcome = {
        kind: 'follow_up_review',
        comparisons,
        gaps: comparisons.filter((c) => c.gap).length,
        ...(notes ? { notes } : {}),
      };
      break;
    }
    case 'satisfaction_check': {
      const rating = input.rating;
      if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5)
        issues.push({ path: '/outcome/rating', message: 'must be a whole number from 1 to 5' });
      const comment = optText(input.comment);
      outcome = { kind: 'satisfaction_check', rating: Number(rating), ...(comment ? { comment } : {}) };
      break;
    }
  }
  if (issues.length > 0 || !outcome) return { ok: false, issues };
  return { ok: true, outcome };
}

import type { AuditEntry } from './types.js';

/** What the story needs to know beyond the entries: names, titles, and how to write a time. */
export interface StoryContext {
  /** A user's name by id; undefined when not known. */
  nameOf(userId: string): string | undefined;
  /** A handoff's title by id; undefined when the entry is not about a handoff of this engagement. */
  titleOf(handoffId: string): string | undefined;
  /** The calendar day of an instant where the organisation is (`YYYY-MM-DD`), to group by. */
  dayOf(iso: string): string;
}

/** One sentence of the story, with the entries it tells (several alike in a row make one). */
export interface StoryLine {
  at: string;
  text: string;
  seqs: number[];
}

export interface StoryDay {
  day: string;
  lines: StoryLine[];
}

const quote = (text: string) => `“${text}”`;
/** Ends a sentence with one full stop, whatever the quoted words ended with. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const words = (key: string) => key.replace(/[._]/g, ' ');
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The engagement's audit entries told as a client manager would write them, oldest first and
 * grouped by day: "Sam Seller sent “Warehouse rollout” to Operations (revision 2).". Edits of one
 * packet by one person in a row make one line ("worked on the packet, 3 changes"); entries that
 * tell nobody anything (a checkpoint's timer set) are left out of the story, not of the log.
 *
 * @example
 *   storyOf(entries, { nameOf, titleOf, dayOf })[0].lines[0].text // 'Sam Seller opened “Warehouse rollout”.'
 */
export function storyOf(entries: readonly AuditEntry[], ctx: StoryContext): StoryDay[] {
  const days: StoryDay[] = [];
  let previous: { key: string; line: StoryLine; count: number } | undefined;
  for (const entry of entries) {
    const told = sentenceOf(entry, ctx);
    if (!told) continue;
    const day = ctx.dayOf(entry.at);
    let current = days.at(-1);
    if (current?.day !== day) {
      current = { day, lines: [] };
      days.push(current);
      previous = undefined;
    }
    if (told.repeatKey && previous?.key === told.repeatKey) {
      previous.count += 1;
      previous.line.seqs.push(entry.seq);
      previous.line.text = `${told.text.replace(/\.$/, '')} (${previous.count} changes).`;
      continue;
    }
    const line = { at: entry.at, text: told.text, seqs: [entry.seq] };
    current.lines.push(line);
    previous = told.repeatKey ? { key: told.repeatKey, line, count: 1 } : undefined;
  }
  return days;
}

/** One entry as a sentence, or null when it is not part of the story. */
function sentenceOf(entry: AuditEntry, ctx: StoryContext): { text: string; repeatKey?: string } | null {
  const who =
    entry.actor.type === 'system' ? 'Baton' : ((entry.actor.id && ctx.nameOf(entry.actor.id)) ?? 'Someone');
  const after = obj(entry.after);
  const title = ctx.titleOf(entry.entity.id);
  const handoff = title ? quote(title) : 'a handoff';
  switch (entry.action) {
    case 'handoff.created':
      return {
        text: `${who} opened ${quote(str(after.title) ?? title ?? 'a handoff')}${str(after.receiving_team) ? ` for ${after.receiving_team}` : ''}.`,
      };
    case 'handoff.packet_edited':
      return {
        text: `${who} worked on the packet of ${handoff}.`,
        repeatKey: `edit:${entry.entity.id}:${who}`,
      };
    case 'handoff.updated':
      return { text: `${who} renamed or reassigned ${handoff}.` };
    case 'handoff.submitted': {
      const revision = Number(after.revision);
      return {
        text:
          revision > 1
            ? `${who} sent a revised packet of ${handoff} (revision ${revision}).`
            : `${who} sent ${handoff} for review.`,
      };
    }
    case 'handoff.amended':
      return {
        text: `${who} corrected ${Object.keys(obj(after.fields))
          .map((k) => quote(words(k.split('.').pop() ?? k)))
          .join(', ')} in ${handoff} while answering a question (revision ${Number(after.revision)}).`,
      };
    // Told by the question's own entry, which carries its words.
    case 'handoff.question_asked':
    case 'handoff.question_answered':
      return null;
    case 'handoff.accepted':
      return { text: sentence(`${who} accepted ${handoff}${str(after.note) ? `: ${after.note}` : ''}`) };
    case 'handoff.rejected':
      return {
        text: sentence(
          `${who} sent ${handoff} back${str(after.explanation) ? `: ${after.explanation}` : ''}`,
        ),
      };
    case 'handoff.withdrawn':
      return { text: `${who} withdrew ${handoff}.` };
    case 'handoff.delivery_started':
      return { text: `${who} started delivery of ${handoff}.` };
    case 'handoff.closed':
      return { text: `${who} closed ${handoff}.` };
    case 'question.asked':
      return str(after.body) ? { text: `${who} asked: ${quote(String(after.body))}` } : null;
    case 'question.answered':
      return str(after.answer) ? { text: `${who} answered: ${quote(String(after.answer))}` } : null;
    case 'checkpoint.completed':
      return { text: `${who} completed a checkpoint.` };
    case 'checkpoint.waived':
      return { text: sentence(`${who} waived a checkpoint${str(after.reason) ? `: ${after.reason}` : ''}`) };
    case 'checkpoint.overdue':
      return { text: 'A checkpoint is overdue.' };
    case 'checkpoint.escalated':
      return { text: 'Baton escalated an overdue checkpoint.' };
    case 'milestone.recorded':
      return str(after.key) ? { text: `${who} recorded ${words(String(after.key))}.` } : null;
    case 'promise.recorded':
      return { text: `${who} recorded a promise${str(after.text) ? `: ${quote(String(after.text))}` : ''}.` };
    case 'promise.updated':
      return {
        text: `${who} updated a promise${str(after.status) ? ` (now ${words(String(after.status))})` : ''}.`,
      };
    case 'scope_item.recorded':
    case 'scope_item.removed':
      return { text: `${who} updated the scope.`, repeatKey: `scope:${who}` };
    case 'success_ladder.recorded':
    case 'success_ladder.updated':
      return { text: `${who} set out what success looks like.` };
    case 'engagement.created':
      return { text: `${who} opened the engagement.` };
    case 'file.uploaded':
      return {
        text: `${who} uploaded ${quote(str(after.name) ?? 'a file')}${Number(after.version) > 1 ? `, version ${after.version}` : ''}.`,
      };
    case 'engagement.updated':
      if (str(after.stage))
        return { text: `The engagement moved to the ${words(String(after.stage))} stage.` };
      if (str(after.contract_signed_at)) return { text: 'The contract signing date was recorded.' };
      return { text: `${who} updated the engagement.` };
    // Bookkeeping that tells a reader nothing: kept in the audit log, left out of the story.
    case 'checkpoint.created':
    case 'checkpoint.rescheduled':
      return null;
    default:
      return { text: `${who}: ${words(entry.action)}.` };
  }
}

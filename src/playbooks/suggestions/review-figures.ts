import type { Db } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import type { Playbook } from '../domain/playbook.js';
import { type GapFigure, type PlaybookSuggestions, suggestionsFor } from './domain/review-suggestions.js';

export interface SuggestionsRead {
  /** The latest version's row: its document, which a draft edits. */
  latest: { id: string; version: number; source: string; playbook: Playbook };
  suggestions: PlaybookSuggestions;
}

/**
 * Reads a playbook's versions and the figures of its 72-hour reviews (`review_gap_facts`, one row
 * per comparison), and says what the reviews suggest for its latest version. The figures are
 * grouped in SQL by transition, field and version; the transition is the reviewed handoff's (a
 * handoff's transition never changes). 404 when the organisation has no playbook of that key.
 */
export async function readSuggestions(db: Db, orgId: string, key: string): Promise<SuggestionsRead> {
  const rows = await db
    .selectFrom('playbooks')
    .select(['id', 'version', 'definition'])
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .orderBy('version', 'asc')
    .execute();
  const last = rows.at(-1);
  if (!last) throw new AppError('not_found', `No playbook ${key}.`);
  const versions = rows.map((r) => JSON.parse(r.definition) as Playbook);
  // Only the latest version's document is edited: the others' are not read.
  const { source } = await db
    .selectFrom('playbooks')
    .select('source')
    .where('org_id', '=', orgId)
    .where('id', '=', last.id)
    .executeTakeFirstOrThrow();
  const grouped = await db
    .selectFrom('review_gap_facts as f')
    .innerJoin('handoffs as h', (join) =>
      join.onRef('h.id', '=', 'f.handoff_id').onRef('h.org_id', '=', 'f.org_id'),
    )
    .select((eb) => [
      'h.transition_key as transition',
      'f.field as field',
      'f.playbook_version as version',
      eb.fn.countAll<number | string>().as('reviews'),
      eb.fn.sum<number | string>('f.gap').as('gaps'),
    ])
    .where('f.org_id', '=', orgId)
    .where('f.playbook_key', '=', key)
    .groupBy(['h.transition_key', 'f.field', 'f.playbook_version'])
    .execute();
  const figures: GapFigure[] = grouped.map((g) => ({
    transition: g.transition,
    field: g.field,
    version: Number(g.version),
    reviews: Number(g.reviews),
    gaps: Number(g.gaps ?? 0),
  }));
  return {
    latest: {
      id: last.id,
      version: Number(last.version),
      source,
      playbook: versions.at(-1) as Playbook,
    },
    suggestions: suggestionsFor(versions, figures),
  };
}

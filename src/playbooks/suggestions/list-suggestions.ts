import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { SUGGESTION_THRESHOLDS } from './domain/review-suggestions.js';
import { readSuggestions } from './review-figures.js';
import type { PlaybookSuggestions } from './suggestion-schema.js';

/**
 * The fields of a playbook's latest version that its 72-hour reviews found gaps in, worst first,
 * each with what to do about it when the figures cross the thresholds; and the reviewed fields the
 * latest version no longer has. Admins only (`manage_playbooks`).
 */
export async function listSuggestions(
  deps: Deps,
  principal: Principal,
  key: string,
): Promise<PlaybookSuggestions> {
  requireCapability(principal, 'manage_playbooks', "read a playbook's suggestions");
  const { suggestions } = await readSuggestions(deps.store.db, principal.orgId, key);
  return {
    playbook_key: key,
    version: suggestions.version,
    thresholds: {
      min_reviews: SUGGESTION_THRESHOLDS.minReviews,
      min_gap_rate: SUGGESTION_THRESHOLDS.minGapPercent / 100,
    },
    fields: suggestions.fields.map((f) => ({
      transition: f.transition,
      field: f.field,
      label: f.label,
      section_title: f.sectionTitle,
      reviews: f.reviews,
      gaps: f.gaps,
      gap_rate: f.gapRate,
      since_version: f.sinceVersion,
      suggestion: f.suggestion,
    })),
    unmatched: suggestions.unmatched.map((u) => ({
      transition: u.transition,
      field: u.field,
      reviews: u.reviews,
      gaps: u.gaps,
      gap_rate: u.gapRate,
    })),
  };
}

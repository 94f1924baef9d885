import type { CycleTime, FunnelStep, RetentionByQuality } from '../types.js';

/** The lifecycle funnel's steps in words. */
export const FUNNEL_LABEL: Record<FunnelStep['stage'], string> = {
  drafted: 'Drafted',
  submitted: 'Submitted',
  accepted: 'Accepted',
  kicked_off: 'Kicked off',
  closed: 'Closed',
};

/** The stages a cycle time measures, in words. */
export const CYCLE_LABEL: Record<CycleTime['stage'], string> = {
  signed_to_submitted: 'Signed → submitted',
  submitted_to_accepted: 'Submitted → accepted',
  accepted_to_kickoff: 'Accepted → kickoff',
};

/** The same stages briefly, for a chart's axis on a phone. */
export const CYCLE_SHORT: Record<CycleTime['stage'], string> = {
  signed_to_submitted: 'To submitted',
  submitted_to_accepted: 'To accepted',
  accepted_to_kickoff: 'To kickoff',
};

/** Whether an account's handoffs were clean, in words. */
export const QUALITY_LABEL: Record<RetentionByQuality['quality'], string> = {
  clean: 'Clean handoffs',
  not_clean: 'Not clean',
};

/** A label cut to `max` characters with an ellipsis, for a chart's axis (the table has it whole). */
export function clip(text: string, max = 22): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

import type { HandoffState } from './types.js';

export const STATE_LABEL: Record<HandoffState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  accepted: 'Accepted',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  in_delivery: 'In delivery',
  closed: 'Closed',
};

export const STATE_COLOR: Record<HandoffState, string> = {
  draft: 'gray',
  submitted: 'blue',
  accepted: 'green',
  rejected: 'red',
  withdrawn: 'dark',
  in_delivery: 'teal',
  closed: 'dark',
};

/** "3 h", "2 d": how long ago an instant was, compactly. */
export function age(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "handoff.submitted" → "Handoff submitted". */
export function actionWords(action: string): string {
  const words = action.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

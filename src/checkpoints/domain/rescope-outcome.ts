/** What a resolved re-scope changed: the price, the crew, the date, or nothing after all. */
export const RESCOPE_OUTCOMES = ['price', 'crew', 'date', 'nothing_changed'] as const;
export type RescopeOutcome = (typeof RESCOPE_OUTCOMES)[number];

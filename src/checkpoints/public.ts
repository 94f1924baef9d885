/**
 * What other features may read of checkpoints: a stored row's settings with their defaults, and
 * the shapes of the outcomes a completed checkpoint records.
 */
export { storedSettings } from './domain/checkpoint-settings.js';
export type { Comparison, Outcome, ScriptAnswer } from './domain/outcome.js';

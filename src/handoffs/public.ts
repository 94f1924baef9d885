/**
 * What other features may use of handoffs, their public face: the states a handoff can be in, and
 * a handoff read by id within an organisation. The rest of this folder is the feature's own (the
 * folder rules, docs/design-folders.md, refuse a sibling's import of any other file here).
 *
 * Example: `import { loadHandoff } from '../../handoffs/public.js'`.
 */
export { closeRefusal } from './domain/handoff-actions.js';
export { HANDOFF_EVENT_TYPES, type HandoffEventType } from './domain/handoff-facts.js';
export { HANDOFF_STATES, type HandoffState } from './domain/lifecycle.js';
export { type HandoffRow, loadHandoff } from './handoff-records.js';
export { latestHandoffOf } from './latest-handoff.js';
export type { PacketSecrets } from './ports.js';
export { askForClient, type ClientQuestion } from './use-cases/ask-for-client.js';
export { type CreateHandoffInput, openHandoff } from './use-cases/create-handoff.js';
export { searchHandoffs } from './use-cases/search-handoffs.js';

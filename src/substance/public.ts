/**
 * What other features may use of the substance, its public face: an engagement's goal, success
 * metric, scope and promises in one read (the client portal shows them to the client). The rest of
 * this folder is the feature's own (docs/design-folders.md).
 *
 * Example: `import { engagementSubstance } from '../../substance/public.js'`.
 */
export { type EngagementSubstance, engagementSubstance } from './use-cases/engagement-substance.js';
export { outOfScopeItemsOf } from './use-cases/out-of-scope-items.js';

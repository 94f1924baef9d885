/**
 * What other features and the composition root may use of the portal, its public face: the
 * closeout sign-offs of an engagement (the summary sheet shows them), where a confirmation's
 * differences went (the composition root's subscriber notes it), and the package types the
 * composition root fills the portal's port with. The rest of this folder is the feature's own.
 *
 * Example: `import { signoffsOf } from '../portal/public.js'`.
 */
export type { CloseoutPackage, PackageItem, PackageSection } from './domain/closeout-package.js';
export { noteDifferenceQuestions } from './use-cases/confirm-understanding.js';
export { signoffsOf } from './use-cases/signoffs-of.js';

/**
 * What other features may use of accounts, their public face: an engagement read by id, the
 * engagement's journey (stage, contract signed) that checkpoints move, and the record-field checks
 * that substance shares for the records it keeps about an engagement. The rest of this folder is
 * the feature's own (the folder rules, docs/design-folders.md, refuse a sibling's import of any
 * other file here). The field checks and `NullableText` are generic: they belong a floor down, in
 * the kernel, when these files are next reworked.
 *
 * Example: `import { loadEngagement } from '../../accounts/public.js'`.
 */
export { changedValues } from './domain/changes.js';
export { checkOptionalText, checkRequiredText, optionalText } from './domain/field-checks.js';
export { headerKey } from './domain/import-headers.js';
export { NullableText } from './routes.js';
export { loadAccount } from './use-cases/account-records.js';
export { loadContact } from './use-cases/contact-records.js';
export { moveEngagementStage, recordContractSigned } from './use-cases/engagement-journey.js';
export { loadEngagement } from './use-cases/engagement-records.js';
export { type AccountReference, resolveAccountReferences } from './use-cases/resolve-account-references.js';
export { searchAccounts, searchContacts, searchEngagements } from './use-cases/search-records.js';
export { type DealRecords, type DealRecordsInput, writeDealRecords } from './use-cases/write-deal-records.js';

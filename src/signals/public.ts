/**
 * What other features may use of signals, their public face: the definition of an account's
 * go-live (its first closeout), which retention cohorts are grouped by.
 *
 * Example: `import { goLiveByAccount } from '../../signals/public.js'`.
 */
export { goLiveByAccount } from './go-live.js';
export { healthDistribution } from './use-cases/health-report.js';

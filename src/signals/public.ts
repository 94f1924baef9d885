// What other features may use of signals and health (docs/design-folders.md: a sibling only
// through its public face).
export { healthDistribution } from './use-cases/health-report.js';

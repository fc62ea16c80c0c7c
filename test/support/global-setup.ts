import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/database/data-source';
import { postgresRunningIn, processAlive, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { databaseUrl, dropStaleTestDatabases, templateDatabase, withAdminClient } from './test-database';

const DATA = join(__dirname, '..', '..', '.data');
/** The checkout's test cluster, kept between runs (starting it again takes a second; creating it, several). */
const SHARED_CLUSTER = join(DATA, 'test-postgres');
/** Clusters of runs that found the shared one busy, one per run, removed when the run ends. */
const RUN_CLUSTERS = join(DATA, 'test-postgres-runs');

export interface TestCluster {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL (embedded unless DATABASE_URL is set) and migrates this run's template
 * database. Another `npm test` may be running in this checkout or on the same server: this run
 * then uses a cluster of its own and databases named after itself, and drops only what is stale.
 */
export default async function globalSetup(): Promise<void> {
  const run = String(process.pid);
  process.env.TL_TEST_RUN = run;
  let server = process.env.DATABASE_URL;
  if (!server) {
    const cluster = await startTestCluster(run);
    (globalThis as { __testCluster?: TestCluster }).__testCluster = cluster;
    server = cluster.url;
  }
  process.env.TL_TEST_SERVER_URL = server;

  await withAdminClient(async (admin) => {
    await dropStaleTestDatabases(admin);
    await admin.query(`CREATE DATABASE ${templateDatabase(run)}`);
  }, server);
  const template = await openDatabase(databaseUrl(server, templateDatabase(run)), 2);
  await template.destroy();
}

async function startTestCluster(run: string): Promise<TestCluster> {
  removeStaleRunClusters();
  if (!postgresRunningIn(SHARED_CLUSTER)) {
    try {
      return await startEmbeddedPostgres(SHARED_CLUSTER);
    } catch (error) {
      // Another run may have started it a moment ago; otherwise the error is real.
      if (!postgresRunningIn(SHARED_CLUSTER)) throw error;
    }
  }
  const dir = join(RUN_CLUSTERS, run);
  mkdirSync(RUN_CLUSTERS, { recursive: true });
  const cluster = await startEmbeddedPostgres(dir);
  return {
    url: cluster.url,
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Clusters of runs that were killed before they could remove theirs. */
function removeStaleRunClusters(): void {
  if (!existsSync(RUN_CLUSTERS)) return;
  for (const run of readdirSync(RUN_CLUSTERS)) {
    const dir = join(RUN_CLUSTERS, run);
    if (!processAlive(Number(run)) && !postgresRunningIn(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

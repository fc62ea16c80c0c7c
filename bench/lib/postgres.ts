import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { postgresRunningIn, postmasterPid, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface BenchDatabase {
  /** URL of the fresh database the bench migrates and uses. */
  url: string;
  /** Where it lives, for the report. */
  description: string;
  /** The embedded server's postmaster, to measure its CPU (undefined with DATABASE_URL). */
  postmasterPid?: number;
  stop(): Promise<void>;
}

/** The checkout's root, whether this runs compiled (dist-bench/bench/lib) or from source (bench/lib). */
function repositoryRoot(from = __dirname): string {
  const parent = dirname(from);
  if (existsSync(join(from, 'package.json')) || parent === from) return from;
  return repositoryRoot(parent);
}

export const BENCH_POSTGRES_ROOT = join(repositoryRoot(), '.data', 'bench-postgres');

function withDatabase(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one bench run: `tl_bench_<random>` on DATABASE_URL's server when it is
 * set, else a throw-away embedded cluster under .data/bench-postgres (removed on stop).
 */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const name = `tl_bench_${randomBytes(5).toString('hex')}`;
  const external = process.env.DATABASE_URL;
  if (external) {
    const admin = withDatabase(external, 'postgres');
    await withClient(admin, (c) => c.query(`CREATE DATABASE ${name}`));
    return {
      url: withDatabase(external, name),
      description: `database ${name} on DATABASE_URL's server`,
      stop: () => withClient(admin, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
    };
  }

  mkdirSync(BENCH_POSTGRES_ROOT, { recursive: true });
  removeStaleClusters();
  const dir = mkdtempSync(join(BENCH_POSTGRES_ROOT, 'run-'));
  let server;
  try {
    server = await startEmbeddedPostgres(dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  await withClient(running.url, (c) => c.query(`CREATE DATABASE ${name}`));
  const pid = postmasterPid(dir) ?? undefined;
  return {
    url: withDatabase(running.url, name),
    description: `embedded PostgreSQL in ${dir} (port ${running.port})`,
    postmasterPid: pid,
    async stop() {
      try {
        await running.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Clusters left behind by a bench that was killed: no pid file, or a pid that is gone. */
function removeStaleClusters(): void {
  for (const entry of readdirSync(BENCH_POSTGRES_ROOT)) {
    if (!entry.startsWith('run-')) continue;
    const dir = join(BENCH_POSTGRES_ROOT, entry);
    // Still running: another bench owns it.
    if (!postgresRunningIn(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

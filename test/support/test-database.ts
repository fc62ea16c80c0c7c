import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { processAlive } from '../../src/database/embedded-postgres';

export const TEST_DATABASE_PREFIX = 'tl_test_';
const TEMPLATE_PREFIX = 'tl_template_';

/**
 * Which `npm test` run this is: the pid of Jest's main process, set by globalSetup and inherited
 * by the workers. Databases are named after it, so two runs on one server leave each other alone.
 */
export function testRun(): string {
  const run = process.env.TL_TEST_RUN;
  if (!run) throw new Error('globalSetup did not run (TL_TEST_RUN is not set)');
  return run;
}

export function templateDatabase(run = testRun()): string {
  return `${TEMPLATE_PREFIX}${run}`;
}

/** The server URL the tests use: DATABASE_URL when given, else the embedded server started by globalSetup. */
export function serverUrl(): string {
  const url = process.env.TL_TEST_SERVER_URL;
  if (!url) throw new Error('globalSetup did not run (TL_TEST_SERVER_URL is not set)');
  return url;
}

export function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>, server = serverUrl()): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(server, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Test databases left by runs that ended without cleaning up (killed, crashed): named after a
 * run that no longer runs here (or from before runs had names), and with nobody connected.
 */
export async function dropStaleTestDatabases(admin: Client): Promise<void> {
  const { rows } = await admin.query(
    `SELECT d.datname FROM pg_database d
      WHERE (d.datname LIKE '${TEST_DATABASE_PREFIX}%' OR d.datname LIKE 'tl_template%')
        AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
  );
  for (const { datname } of rows as Array<{ datname: string }>) {
    const run = /^tl_(?:test|template)_(\d+)(?:_|$)/.exec(datname)?.[1];
    if (run && processAlive(Number(run))) continue;
    await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
}

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function cloneTemplate(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${TEST_DATABASE_PREFIX}${testRun()}_${randomBytes(6).toString('hex')}`;
  await withAdminClient(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`);
        return;
      } catch (error) {
        // Two workers cloning at the same instant may briefly see each other on the template.
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  return {
    name,
    url: databaseUrl(serverUrl(), name),
    drop: () => withAdminClient(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

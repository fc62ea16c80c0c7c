import type { TestCluster } from './global-setup';
import { TEST_DATABASE_PREFIX, templateDatabase, withAdminClient } from './test-database';

/** Drops this run's databases and stops the cluster globalSetup started (nothing to stop with DATABASE_URL). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.TL_TEST_RUN;
  const server = process.env.TL_TEST_SERVER_URL;
  if (run && server) {
    await withAdminClient(async (admin) => {
      const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [templateDatabase(run), `${TEST_DATABASE_PREFIX}${run}\\_%`]);
      for (const { datname } of rows as Array<{ datname: string }>) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }, server);
  }
  await (globalThis as { __testCluster?: TestCluster }).__testCluster?.stop();
}

import { join } from 'node:path';
import { Client } from 'pg';
import { openDatabase } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { TEMPLATE_DATABASE, TEST_DATABASE_PREFIX, databaseUrl } from './test-database';

/** Starts PostgreSQL (embedded unless DATABASE_URL is set) and migrates a template database once per run. */
export default async function globalSetup(): Promise<void> {
  let server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbeddedPostgres(join(__dirname, '..', '..', '.data', 'test-postgres'));
    (globalThis as { __embeddedPostgres?: unknown }).__embeddedPostgres = embedded;
    server = embedded.url;
  }
  process.env.TL_TEST_SERVER_URL = server;

  const admin = new Client({ connectionString: databaseUrl(server, 'postgres') });
  await admin.connect();
  const stale = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE '${TEST_DATABASE_PREFIX}%' OR datname = $1`, [TEMPLATE_DATABASE]);
  for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();

  const template = await openDatabase(databaseUrl(server, TEMPLATE_DATABASE), 2);
  await template.destroy();
}

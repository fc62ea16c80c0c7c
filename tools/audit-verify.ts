/**
 * npm run audit:verify — recomputes the event log's hash chain and names the first
 * broken entry. Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (./.data),
 * whether or not the app is running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { verifyLedger } from '../src/audit/ledger-verifier';

async function main(): Promise<number> {
  let url = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | null = null;
  if (!url) {
    const dir = join(resolve(process.env.DATA_DIR ?? '.data'), 'postgres');
    const pidFile = join(dir, 'postmaster.pid');
    const runningPort = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[3]) : null;
    if (runningPort) {
      url = `postgres://postgres:tiers-lieu-embedded@127.0.0.1:${runningPort}/postgres`;
    } else {
      const embedded = await startEmbeddedPostgres(dir);
      url = embedded.url;
      stop = () => embedded.stop();
    }
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await verifyLedger(async (sql, params) => (await client.query(sql, params)).rows);
    if (result.ok) {
      console.log(`ledger intact: ${result.checked} entries, head seq ${result.head?.seq ?? 0} hash ${result.head?.hash ?? '-'}`);
      return 0;
    }
    console.log(`ledger BROKEN at entry seq ${result.firstBroken!.seq}: ${result.firstBroken!.reason} (${result.checked} entries before it are intact)`);
    return 1;
  } finally {
    await client.end();
    await stop?.();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);

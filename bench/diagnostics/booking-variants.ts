/**
 * Diagnostic, not part of `npm run bench`: booking throughput at several concurrencies, as is and
 * with candidate server fixes applied by monkeypatching, with the CPU each side spends per booking
 * and how many PostgreSQL sessions wait on an advisory lock. Nothing is written to src/.
 *
 *   node -r ts-node/register/transpile-only bench/diagnostics/booking-variants.ts
 *
 * Rows:
 *   as-is             the server as it is
 *   jwt-key           TokenService.verify with a cached KeyObject: jsonwebtoken otherwise calls
 *                     crypto.createPublicKey() on the string secret on every request, which throws
 *   jwt-key+no-event-log  also skips the event-log append (NOT a fix: the event log is required; it shows
 *                     the cost of the global advisory lock it holds from the append to COMMIT)
 *
 * Delete this file once the fixes are in src/ (it pokes at private members and will rot).
 */
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { EventLogRepository } from '../../src/audit/event-log.repository';
import { TokenService } from '../../src/common/auth/token.service';
import { ManualClock } from '../../src/common/time/clock';
import { BOOK } from '../../test/support/spaces';
import { CpuMeter, cpuCeiling, describeCpu } from '../lib/cpu';
import { sendFromWorker } from '../lib/http-load';
import { houseBuilder, spacesBuilder, startBenchApp } from '../lib/harness';
import { startBenchDatabase } from '../lib/postgres';
import { formatSummary, summarize } from '../lib/stats';

const N = 1000;

async function main(): Promise<void> {
  const database = await startBenchDatabase();
  const t = await startBenchApp(database.url, new ManualClock('2027-01-04T08:00:00+01:00'));
  const monitor = new Client({ connectionString: database.url });
  await monitor.connect();
  try {
    const house = houseBuilder(t);
    const admin = await house.admin();
    const spaces = spacesBuilder(t, (await house.steward()).token);
    await t.gqlOk(`mutation { setHouseRule(key: MAX_ADVANCE_DAYS, value: 730) { value } }`, {}, admin.token);
    const members: Array<{ token: string; collectiveId: string }> = [];
    for (let i = 0; i < 32; i++) members.push(await house.member());
    let round = 0;

    const run = async (label: string, count: number, concurrency: number) => {
      const rooms: string[] = [];
      for (let i = 0; i < 8; i++) rooms.push(await spaces.resource({}));
      const base = DateTime.fromISO('2027-02-01', { zone: 'Europe/Brussels' }).plus({ days: 40 * round++ });
      const requests = Array.from({ length: count }, (_, i) => {
        const k = Math.floor(i / 8);
        const member = members[i % 32];
        const start = base.plus({ days: Math.floor(k / 8), minutes: 420 + (k % 8) * 120 });
        const input = { resourceId: rooms[i % 8], collectiveId: member.collectiveId, title: 'Diag', startsAt: start.toISO(), endsAt: start.plus({ minutes: 60 }).toISO() };
        return { query: BOOK, variables: { input }, token: member.token };
      });
      let samples = 0;
      let lockWaiters = 0;
      let active = 0;
      let stop = false;
      const sampling = (async () => {
        while (!stop) {
          const { rows } = await monitor.query(
            `SELECT count(*) FILTER (WHERE wait_event = 'advisory')::int AS waiting, count(*) FILTER (WHERE state <> 'idle')::int - 1 AS active
               FROM pg_stat_activity WHERE datname = current_database()`,
          );
          lockWaiters += rows[0].waiting;
          active += rows[0].active;
          samples++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const cpu = new CpuMeter(database.postmasterPid);
      const { wallMs: wall, results } = await sendFromWorker(t.baseUrl, requests, concurrency);
      const reading = cpu.read();
      const failed = results.find((r) => r.code !== null);
      if (failed) throw new Error(`booking failed: ${JSON.stringify(failed.error)}`);
      const durations = results.map((r) => r.ms);
      const ceiling = cpuCeiling(reading, count);
      stop = true;
      await sampling;
      console.log(`${label.padEnd(30)} ${((count / wall) * 1000).toFixed(0).padStart(4)}/s | ${formatSummary(summarize(durations))}`);
      console.log(`${''.padEnd(30)} sessions active ${(active / samples).toFixed(1)}, waiting on an advisory lock ${(lockWaiters / samples).toFixed(1)}; CPU ceiling: event loop ${ceiling.eventLoop?.toFixed(0)}/s, machine ${ceiling.machine?.toFixed(0)}/s`);
      console.log(`${''.padEnd(30)} ${describeCpu(reading, count)}`);
    };

    await run('warm-up', 300, 16);
    for (const c of [8, 16, 24]) await run(`as-is c=${c}`, N, c);

    const key = createSecretKey(Buffer.from(await (t.app.get(TokenService) as any).secret()));
    TokenService.prototype.verify = async (token: string) => {
      try {
        const payload = jwt.verify(token, key, { algorithms: ['HS256'] });
        return typeof payload === 'object' && typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    };
    for (const c of [8, 16, 24]) await run(`jwt-key c=${c}`, N, c);

    (EventLogRepository.prototype as any).flush = async () => undefined;
    for (const c of [8, 24]) await run(`jwt-key+no-event-log c=${c}`, N, c);
  } finally {
    await monitor.end();
    await t.close();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);

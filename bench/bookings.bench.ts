/**
 * Booking benchmark: `npm run bench:bookings`.
 *
 * Boots the real app on a fresh PostgreSQL (embedded, or a new database on DATABASE_URL's
 * server) and talks to it over HTTP on 127.0.0.1:
 *   1. race        - 100 members of 100 collectives book one kitchen slot at once: exactly 1 wins, 99 CONFLICT
 *   2. throughput  - N bookings of distinct slots, C in flight: bookings/s and latency percentiles
 *   3. week query  - 200,000 bookings inserted in SQL, then `bookings(from, to, resourceIds)` for 20
 *                    resources over one week: latency percentiles, plus EXPLAIN of the repository SQL
 * Requests leave from a worker thread (lib/http-load.ts) so that the client's fetch/JSON work does
 * not queue on the app's event loop; CPU per operation is reported for the app's main thread, the
 * whole Node process and the embedded PostgreSQL, with how much other processes took (noise).
 * Exit code: 0, or 1 when the race result is wrong (2 when the bench itself crashes).
 *
 * Knobs (env): BENCH_THROUGHPUT_N (2000), BENCH_CONCURRENCY (24), BENCH_BULK_ROWS (200000),
 * BENCH_WEEK_RUNS (200), BENCH_WEEK_WARMUP (20).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { BookingsRepository } from '../src/bookings/bookings.repository';
import { ManualClock } from '../src/common/time/clock';
import type { HouseBuilder, TestPerson } from '../test/support/house';
import { BOOK, EVERY_DAY, hours } from '../test/support/spaces';
import type { SpacesBuilder } from '../test/support/spaces';
import { CpuMeter, cpuCeiling, describeCpu } from './lib/cpu';
import { LoadResult, sendFromWorker } from './lib/http-load';
import { BenchApp, QueryLog, houseBuilder, spacesBuilder, startBenchApp } from './lib/harness';
import { startBenchDatabase } from './lib/postgres';
import { formatSummary, ms, summarize, timed } from './lib/stats';
import { Results, runBench } from './lib/report';

const ZONE = 'Europe/Brussels';
const NOW = '2027-01-04T08:00:00+01:00'; // a Monday morning; every booking below is later
const intEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const RACE_CLIENTS = 100;
const THROUGHPUT_N = intEnv('BENCH_THROUGHPUT_N', 2000);
const THROUGHPUT_WARMUP = 100;
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 24);
const THROUGHPUT_RESOURCES = 8;
const THROUGHPUT_COLLECTIVES = 32;
const BULK_ROWS = intEnv('BENCH_BULK_ROWS', 200_000);
const BULK_RESOURCES = 40;
const BULK_SLOTS_PER_DAY = 5; // 08:00, 11:00, 14:00, 17:00, 20:00 local, lasting 60/90/120 min
const BULK_COLLECTIVES = 12;
const WEEK_RESOURCES = 20;
const WEEK_FROM = '2027-03-01T00:00:00+01:00';
const WEEK_TO = '2027-03-08T00:00:00+01:00';
const WEEK_WARMUP = intEnv('BENCH_WEEK_WARMUP', 20);
const WEEK_RUNS = intEnv('BENCH_WEEK_RUNS', 200);

const TARGET_THROUGHPUT = 300;
const TARGET_WEEK_P95 = 25;

const WEEK_QUERY = `query($from: DateTime!, $to: DateTime!, $ids: [ID!]) {
  bookings(from: $from, to: $to, resourceIds: $ids) { id title startsAt endsAt status collective { id name } resource { id name } }
}`;
const WEEK_QUERY_SCALARS = `query($from: DateTime!, $to: DateTime!, $ids: [ID!]) {
  bookings(from: $from, to: $to, resourceIds: $ids) { id title startsAt endsAt status }
}`;

let postmasterPid: number | undefined; // set when the bench runs its own embedded PostgreSQL

const results = new Results();
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const log = (message = '') => console.log(message);
const section = (title: string) => log(`\n=== ${title} ${'='.repeat(Math.max(0, 70 - title.length))}`);
const local = (isoDate: string, minutesOfDay: number, plusDays = 0) =>
  DateTime.fromISO(isoDate, { zone: ZONE }).plus({ days: plusDays, minutes: minutesOfDay }).toISO({ suppressMilliseconds: true })!;

async function main(cleanup: Array<() => Promise<void>>): Promise<Results> {
  log(`Tiers-Lieu booking bench - node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const setupStart = performance.now();
  const database = await startBenchDatabase();
  cleanup.push(() => database.stop());
  postmasterPid = database.postmasterPid;
  log(`PostgreSQL: ${database.description}`);
  const clock = new ManualClock(NOW);
  const t = await startBenchApp(database.url, clock);
  cleanup.unshift(() => t.close());
  log(`App: ${t.baseUrl} (clock at ${NOW}), ready in ${ms(performance.now() - setupStart)}`);

  const house = houseBuilder(t);
  const admin = await house.admin();
  const steward = await house.steward();
  const spaces = spacesBuilder(t, steward.token);
  await setHouseRules(t, admin);

  await race(t, house, spaces);
  await throughput(t, house, spaces);
  await weekQuery(t, house, spaces);

  section('Summary');
  results.print();
  return results;
}

async function setHouseRules(t: BenchApp, admin: TestPerson): Promise<void> {
  const SET = `mutation($key: RuleKey!, $value: Int!) { setHouseRule(key: $key, value: $value) { key value } }`;
  await t.gqlOk(SET, { key: 'MAX_ADVANCE_DAYS', value: 730 }, admin.token);
  const { houseRules } = await t.gqlOk<{ houseRules: Array<{ key: string; value: number; resource: { id: string } | null }> }>(
    `{ houseRules { key value resource { id } } }`,
    {},
    admin.token,
  );
  const quota = houseRules.find((r) => r.key === 'WEEKLY_QUOTA_MINUTES' && !r.resource)?.value ?? 0;
  // A full week (10080) can never be exceeded by non-overlapping bookings of one resource.
  if (quota < 10_080) await t.gqlOk(SET, { key: 'WEEKLY_QUOTA_MINUTES', value: 10_080 }, admin.token);
  const advance = houseRules.find((r) => r.key === 'MAX_ADVANCE_DAYS' && !r.resource)?.value;
  log(`House rules: MAX_ADVANCE_DAYS=${advance}, WEEKLY_QUOTA_MINUTES=${Math.max(quota, 10_080)} (was ${quota})`);
}

/** Runs `work` over `items` with at most `size` at once (setup only). */
async function inChunks<T, R>(items: T[], size: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))));
  return out;
}

// ---------------------------------------------------------------------------------- 1. race

async function race(t: BenchApp, house: HouseBuilder, spaces: SpacesBuilder): Promise<boolean> {
  section(`1. Race: ${RACE_CLIENTS} collectives book the same kitchen slot at once`);
  const hygiene = await house.qualification('Hygiène (bench)');
  const kitchen = await spaces.resource({ name: 'Bench kitchen', kind: 'KITCHEN', bufferMinutes: 30, minMinutes: 60, requiredQualificationId: hygiene });
  const cooks = await inChunks(Array.from({ length: RACE_CLIENTS }), 10, async () => {
    const member = await house.member();
    await house.grant(member.id, hygiene);
    return member;
  });
  const slot = { resourceId: kitchen, startsAt: '2027-01-13T10:00:00+01:00', endsAt: '2027-01-13T12:00:00+01:00' };
  // All requests leave the load worker at once (concurrency = number of clients), like Promise.all.
  const requests = cooks.map((c, i) => ({ query: BOOK, variables: { input: { ...slot, collectiveId: c.collectiveId, title: `Race ${i}` } }, token: c.token }));
  const { wallMs: wall, results: responses } = await sendFromWorker(t.baseUrl, requests, RACE_CLIENTS, { keepData: true });
  const codes = new Map<string, number>();
  let wins = 0;
  for (const r of responses) {
    if (r.code === null && (r.data as { book?: unknown[] })?.book?.length === 1) wins++;
    else codes.set(r.code ?? 'UNEXPECTED_DATA', (codes.get(r.code ?? 'UNEXPECTED_DATA') ?? 0) + 1);
  }
  const conflicts = codes.get('CONFLICT') ?? 0;
  const others = RACE_CLIENTS - wins - conflicts;
  const [{ n: active }] = await t.sql(
    `SELECT count(*)::int AS n FROM booking WHERE resource_id = $1 AND status IN ('PENDING','CONFIRMED','CHECKED_IN')`,
    [kitchen],
  );
  const ok = wins === 1 && conflicts === RACE_CLIENTS - 1 && others === 0 && active === 1;
  log(`responses in ${ms(wall)}: ${wins} success, ${conflicts} CONFLICT, ${others} other ${others ? JSON.stringify(Object.fromEntries(codes)) : ''}`);
  if (others) log(`first other error: ${JSON.stringify(responses.find((r) => r.code !== null && r.code !== 'CONFLICT')?.error)}`);
  const latency = summarize(responses.map((r) => r.ms));
  log(`response times: ${formatSummary(latency)}`);
  log(`active bookings of the kitchen in the database: ${active}`);
  log(`race: ${verdict(ok)}`);
  results.check('race: success / CONFLICT / other', `${wins} / ${conflicts} / ${others}`, '1 / 99 / 0', ok);
  return ok;
}

// ---------------------------------------------------------------------------- 2. throughput

async function throughput(t: BenchApp, house: HouseBuilder, spaces: SpacesBuilder): Promise<void> {
  const total = THROUGHPUT_WARMUP + THROUGHPUT_N;
  section(`2. Throughput: ${THROUGHPUT_N} bookings of distinct slots, ${CONCURRENCY} in flight`);
  const zoneId = await spaces.zone();
  const rooms = await inChunks(Array.from({ length: THROUGHPUT_RESOURCES }), 4, (_, i) =>
    spaces.resource({ name: `Bench room ${i + 1}`, zoneId, openingHours: hours(EVERY_DAY, '07:00', '23:00') }),
  );
  const members = await inChunks(Array.from({ length: THROUGHPUT_COLLECTIVES }), 8, () => house.member());

  // Slot i: room i % R; per room, 8 two-hour cells a day from 07:00, filled 60/90/120 minutes.
  const input = (i: number) => {
    const room = i % THROUGHPUT_RESOURCES;
    const k = Math.floor(i / THROUGHPUT_RESOURCES);
    const day = Math.floor(k / 8);
    const start = 7 * 60 + (k % 8) * 120;
    const member = members[i % THROUGHPUT_COLLECTIVES];
    return {
      token: member.token,
      input: {
        resourceId: rooms[room],
        collectiveId: member.collectiveId,
        title: `Bench ${i}`,
        startsAt: local('2027-02-01', start, day),
        endsAt: local('2027-02-01', start + 60 + 30 * (i % 3), day),
      },
    };
  };
  const requests = (from: number, count: number) =>
    Array.from({ length: count }, (_, j) => {
      const { token, input: bookInput } = input(from + j);
      return { query: BOOK, variables: { input: bookInput }, token };
    });
  const failuresOf = (responses: LoadResult[]) => {
    const failures = new Map<string, number>();
    for (const r of responses) if (r.code !== null) failures.set(r.code, (failures.get(r.code) ?? 0) + 1);
    return { failures, failed: responses.length - responses.filter((r) => r.code === null).length, first: responses.find((r) => r.code !== null)?.error };
  };

  const warmup = failuresOf((await sendFromWorker(t.baseUrl, requests(0, THROUGHPUT_WARMUP), CONCURRENCY)).results);
  const measured = requests(THROUGHPUT_WARMUP, THROUGHPUT_N); // built before the clock starts
  const cpu = new CpuMeter(postmasterPid);
  const { wallMs: wall, results: responses } = await sendFromWorker(t.baseUrl, measured, CONCURRENCY);
  const cpuReading = cpu.read();
  const { failures, failed, first: firstFailure } = failuresOf(responses);
  const warmupFailures = warmup.failed;
  const rate = ((THROUGHPUT_N - failed) / wall) * 1000;
  const latency = summarize(responses.map((r) => r.ms));
  const [{ n: stored }] = await t.sql(`SELECT count(*)::int AS n FROM booking WHERE resource_id = ANY($1)`, [rooms]);

  log(`warm-up: ${THROUGHPUT_WARMUP} bookings (${warmupFailures} failed), not counted`);
  log(`${THROUGHPUT_N - failed} booked, ${failed} failed ${failed ? JSON.stringify(Object.fromEntries(failures)) : ''} in ${ms(wall)}`);
  if (firstFailure) log(`first failure: ${JSON.stringify(firstFailure)}`);
  log(`rows stored: ${stored} (expected ${total - warmupFailures - failed})`);
  log(`throughput: ${rate.toFixed(0)} bookings/s; latency ${formatSummary(latency)}`);
  log(describeCpu(cpuReading, THROUGHPUT_N));
  const ceiling = cpuCeiling(cpuReading, THROUGHPUT_N);
  if (ceiling.eventLoop != null) {
    log(
      `CPU-bound ceiling with the machine to itself: app event loop ${ceiling.eventLoop.toFixed(0)} bookings/s` +
        (ceiling.machine != null ? `, all ${cpuReading.cores} cores (app + postgres + this client) ${ceiling.machine.toFixed(0)} bookings/s` : ''),
    );
  }

  // What one booking costs the server: its SQL round trips, alone (nothing else in flight).
  const extra = input(total);
  const one = await t.captureQueries(() => timed(() => t.gqlOk(BOOK, { input: extra.input }, extra.token)));
  log(`one booking alone: ${ms(one.value.ms)}, ${one.queries.length} SQL statements:`);
  for (const [shape, count] of groupStatements(one.queries)) log(`  ${String(count).padStart(3)} x ${shape}`);
  const ok = failed === 0 && rate >= TARGET_THROUGHPUT;
  results.add(`throughput (${CONCURRENCY} in flight)`, `${rate.toFixed(0)} bookings/s`, `>= ${TARGET_THROUGHPUT}/s, 0 errors`, verdict(ok));
  results.add('book latency p50 / p95 / p99', `${latency.p50.toFixed(1)} / ${latency.p95.toFixed(1)} / ${latency.p99.toFixed(1)} ms`, '-', 'info');
  if (ceiling.eventLoop != null) {
    const both = ceiling.machine != null ? Math.min(ceiling.eventLoop, ceiling.machine) : ceiling.eventLoop;
    results.add('throughput ceiling from CPU cost', `~${both.toFixed(0)} bookings/s`, `>= ${TARGET_THROUGHPUT}/s`, 'info');
  }
  results.noise('throughput', cpuReading);
  results.add('SQL statements per booking', String(one.queries.length), '-', 'info');
}

// ---------------------------------------------------------------------------- 3. week query

async function weekQuery(t: BenchApp, house: HouseBuilder, spaces: SpacesBuilder): Promise<void> {
  const days = Math.ceil(BULK_ROWS / (BULK_RESOURCES * BULK_SLOTS_PER_DAY));
  section(`3. Week query over ${BULK_ROWS.toLocaleString('en')} bookings (${BULK_RESOURCES} resources x ${days} days x ${BULK_SLOTS_PER_DAY} slots)`);
  const zoneId = await spaces.zone();
  const resources = await inChunks(Array.from({ length: BULK_RESOURCES }), 4, (_, i) =>
    spaces.resource({ name: `Bulk room ${String(i + 1).padStart(2, '0')}`, zoneId }),
  );
  const collectives = await inChunks(Array.from({ length: BULK_COLLECTIVES }), 6, (_, i) => house.collective({ name: `Bulk collective ${i + 1}` }));
  const reader = await house.member(collectives[0].id);

  // Non-overlapping per resource: 5 cells a day at 08/11/14/17/20 h local, 60-120 min each, buffer 0.
  const insert = `
    INSERT INTO booking (resource_id, collective_id, title, starts_at, ends_at, buffer_minutes, status, price_cents)
    SELECT r.id, ($2::uuid[])[1 + ((d * 7 + s * 3 + r.n) % array_length($2::uuid[], 1))],
           'Bulk ' || r.n || '/' || d || '/' || s, slot.starts_at,
           slot.starts_at + make_interval(mins => 60 + 30 * ((d + s + r.n) % 3)::int), 0,
           CASE WHEN slot.starts_at < $3::timestamptz THEN 'COMPLETED' ELSE 'CONFIRMED' END, 0
      FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, n)
     CROSS JOIN generate_series(0, $4::int - 1) AS d
     CROSS JOIN generate_series(0, ${BULK_SLOTS_PER_DAY - 1}) AS s
     CROSS JOIN LATERAL (SELECT (($5::date + d) + make_interval(hours => 8 + 3 * s)) AT TIME ZONE '${ZONE}' AS starts_at) AS slot
     WHERE ((r.n - 1) * $4::int + d) * ${BULK_SLOTS_PER_DAY} + s < $6::int`;
  // The queried week sits in the middle of the data: half of it in the past (COMPLETED), half ahead.
  const firstDay = DateTime.fromISO(WEEK_FROM, { zone: ZONE }).minus({ days: Math.floor(days / 2) }).toISODate()!;
  const collectiveIds = collectives.map((c) => c.id);
  const batch = 5;
  const bulkStart = performance.now();
  for (let i = 0; i < resources.length; i += batch) {
    // Row budget per batch: the WHERE numbers rows globally across resources (r.n counts from 1 within a batch).
    const remaining = BULK_ROWS - i * days * BULK_SLOTS_PER_DAY;
    if (remaining <= 0) break;
    await t.sql(insert, [resources.slice(i, i + batch), collectiveIds, NOW, days, firstDay, remaining]);
    process.stdout.write(`\rinserted ${Math.min(BULK_ROWS, (i + batch) * days * BULK_SLOTS_PER_DAY).toLocaleString('en')} rows...`);
  }
  const insertMs = performance.now() - bulkStart;
  const analyze = await timed(() => t.sql('ANALYZE booking'));
  const [{ n: bulkCount, first, last }] = await t.sql(
    `SELECT count(*)::int AS n, min(starts_at) AS first, max(ends_at) AS last FROM booking WHERE resource_id = ANY($1)`,
    [resources],
  );
  log(`\rinserted ${bulkCount.toLocaleString('en')} rows in ${ms(insertMs)} (${first.toISOString()} .. ${last.toISOString()}); ANALYZE ${ms(analyze.ms)}`);
  results.add('bulk insert', `${bulkCount.toLocaleString('en')} rows, ${(insertMs / 1000).toFixed(1)} s`, `${BULK_ROWS.toLocaleString('en')} rows`, verdict(bulkCount === BULK_ROWS));

  const ids = resources.slice(0, WEEK_RESOURCES);
  const variables = { from: WEEK_FROM, to: WEEK_TO, ids };
  const first1 = await t.gqlOk<{ bookings: unknown[] }>(WEEK_QUERY, variables, reader.token);
  log(`query: ${WEEK_RESOURCES} resources, ${WEEK_FROM} .. ${WEEK_TO}: ${first1.bookings.length} bookings per response`);

  // One request at a time from the load worker (the app's event loop serves, the worker parses).
  const measure = async (query: string, warmup: number, runs: number) => {
    const request = { query, variables, token: reader.token };
    const { results: responses } = await sendFromWorker(t.baseUrl, Array.from({ length: warmup + runs }, () => request), 1);
    const failed = responses.find((r) => r.code !== null);
    if (failed) throw new Error(`week query failed: ${JSON.stringify(failed.error)}`);
    return summarize(responses.slice(warmup).map((r) => r.ms));
  };
  const cpu = new CpuMeter(postmasterPid);
  const full = await measure(WEEK_QUERY, WEEK_WARMUP, WEEK_RUNS);
  const cpuReading = cpu.read();
  log(`week query (with collective, resource): ${formatSummary(full)}`);
  log(describeCpu(cpuReading, WEEK_WARMUP + full.count, 'query'));
  const weekOk = full.p95 <= TARGET_WEEK_P95;
  results.add('week query p95 (HTTP)', ms(full.p95), `<= ${TARGET_WEEK_P95} ms`, verdict(weekOk));
  results.add('week query p50 / p99', `${full.p50.toFixed(1)} / ${full.p99.toFixed(1)} ms`, '-', 'info');
  results.noise('week query', cpuReading);

  // Where the time goes: statements per request, the same query without the nested objects, the repository alone.
  section('3b. Where the week query spends its time');
  const captured = await t.captureQueries(() => t.gqlOk(WEEK_QUERY, variables, reader.token));
  log(`SQL statements for one week query: ${captured.queries.length}`);
  for (const [shape, count] of groupStatements(captured.queries)) log(`  ${String(count).padStart(5)} x ${shape}`);
  results.add('SQL statements per week query', String(captured.queries.length), '-', 'info');

  const scalars = await measure(WEEK_QUERY_SCALARS, 10, 100);
  log(`same query, scalar fields only: ${formatSummary(scalars)}`);
  results.add('week query p95, scalars only', ms(scalars.p95), '-', 'info');

  const repository = t.app.get(BookingsRepository);
  const from = new Date(WEEK_FROM);
  const to = new Date(WEEK_TO);
  const statuses = ['PENDING', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW'] as const;
  const list = () => repository.list(from, to, ids, [...statuses]);
  for (let i = 0; i < 10; i++) await list();
  const repoSamples: number[] = [];
  for (let i = 0; i < 100; i++) repoSamples.push((await timed(list)).ms);
  const repo = summarize(repoSamples);
  log(`BookingsRepository.list in process (SQL + hydration, no HTTP/GraphQL): ${formatSummary(repo)}`);
  results.add('repository list p95 (in process)', ms(repo.p95), '-', 'info');

  section('3c. EXPLAIN (ANALYZE, BUFFERS) of BookingsRepository.list');
  const listed = await t.captureQueries(list);
  const listSql = listed.queries.find((q) => /FROM "?booking"?\s/i.test(q.sql));
  if (!listSql) throw new Error(`could not capture the list SQL: ${JSON.stringify(listed.queries)}`);
  log(listSql.sql);
  log(`params: ${JSON.stringify(listSql.parameters).slice(0, 160)}...`);
  const plan = (await t.sql(`EXPLAIN (ANALYZE, BUFFERS) ${listSql.sql}`, listSql.parameters as unknown[])).map((row: Record<string, string>) => row['QUERY PLAN']);
  log(plan.map((line: string) => `  ${line}`).join('\n'));
  const usesIndex = plan.some((line: string) => line.includes('booking_resource_period_idx'));
  const execution = plan.find((line: string) => line.startsWith('Execution Time'));
  log(`uses booking_resource_period_idx: ${verdict(usesIndex)}`);
  results.add('list plan uses booking_resource_period_idx', `${usesIndex ? 'yes' : 'no'} (${execution ?? '?'})`, 'yes', verdict(usesIndex));
}

/** How much of the machine other processes took during a phase: above ~0.3 cores, figures are noisy. */
/** Statements grouped by shape (parameters and literals stripped), most frequent first. */
function groupStatements(queries: QueryLog[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const q of queries) {
    const shape = q.sql.replace(/\s+/g, ' ').replace(/"\w+"\."(\w+)" AS "\w+"/g, '$1').slice(0, 150);
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

// ------------------------------------------------------------------------------------- run

runBench(main);

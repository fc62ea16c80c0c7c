/**
 * Door decision benchmark: `npm run bench:access`.
 *
 * Boots the real app (main thread) on a fresh PostgreSQL with a door in a 24/7 zone ("Entrée")
 * and a door in a booking-only zone ("Ateliers": 8 rooms and a kitchen that needs a hygiene
 * qualification), and 330 uids: stewards, members of 40 collectives (9 of them with a booking
 * open now in the workshops, one of which is the kitchen, 8 more booked later in the day),
 * people whose membership ended, lost badges and unknown uids. Every answer is checked against
 * the reason DESIGN.md gives for that (door, badge). First, a check: 6 members of a collective
 * badge in at once at the start of their booking (4 times), all must be admitted and the booking
 * checked in once. The load's bookings are then checked in one entry at a time, so that the load
 * measures steady-state decisions, on a database in a steady state too (WAL segments to
 * recycle, tables vacuumed: see prepareWalSegments). Load comes from a worker thread
 * (lib/door-load.worker.ts: keep-alive connections through the lean client of lib/raw-http.ts,
 * each request freshly signed, never a replay):
 *   a. open loop   - 1,000 decisions/s for 10 s (after 5 s of warm-up): latency p50/p99 (<= 5 ms)
 *   b. closed loop - 32 in flight for 10 s: decisions/s (>= 3,000/s), with what the app's
 *                    PostgreSQL connections were doing (pg_stat_activity samples)
 *   c. bare server - node:http answering {"decision":"ALLOW","reason":"STAFF"} in the same main
 *                    thread, driven the same way (a and b): the ceiling of this machine, this
 *                    client and node:http; the app should reach at least half its throughput.
 *   d. diagnostics - PostgreSQL CPU by process, planning and execution time of each statement of
 *                    a decision, the event_log_head row, a closed-loop sweep (1, 4, 16 in flight)
 *                    with CPU per decision, and a CPU profile of the app's main thread: no targets.
 * The app's clock runs in real time from Monday 1 March 2027 10:20 (lib/clock.ts RealTimeClock),
 * so a door's timestamp (Date.now() + offset) is fresh for the server's 30-second check.
 * Exit code: 0; 1 when a request failed, got the wrong reason or left no access event; 2 on a crash.
 *
 * Knobs (env): BENCH_ACCESS_RATE (1000), BENCH_ACCESS_SECONDS (10), BENCH_ACCESS_CONCURRENCY (32);
 * BENCH_ACCESS_PLANS=1 prints the plan of each statement of a decision;
 * BENCH_ACCESS_PG_SETTINGS="synchronous_commit=off; wal_sync_method=open_datasync" tries PostgreSQL
 * settings for the whole load (what-ifs, not targets: ALTER SYSTEM and a reload, so that they
 * reach the app's pool connections, which are open already; a SET or ALTER DATABASE would not).
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Role } from '../src/identity/models/identity.enums';
import { doorRequest } from '../test/support/door-client';
import type { HouseBuilder, TestPerson } from '../test/support/house';
import { BOOK } from '../test/support/spaces';
import { RealTimeClock } from './lib/clock';
import { CpuMeter, CpuReading, cpuCeiling, describeCpu, otherCores, postgresBreakdown, postgresProcessTicks } from './lib/cpu';
import type { DoorLoadData, DoorLoadResult } from './lib/door-load.worker';
import { BenchApp, QueryLog, houseBuilder, spacesBuilder, startBenchApp } from './lib/harness';
import { GcMeter, describeGc } from './lib/gc-meter';
import { WaitProfile, describeWaits, startWaitSampler } from './lib/pg-sampler';
import { startBenchDatabase } from './lib/postgres';
import { profileMainThread } from './lib/profile';
import { Results, loadAverage, log, runBench, section } from './lib/report';
import { Summary, formatSummary, ms, summarize, table } from './lib/stats';
import { WorkerChannel, startBenchWorker } from './lib/worker';

const intEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const SETUP_AT = '2027-03-01T08:00:00+01:00'; // Monday: bookings for 10:00 are made before
const RUN_AT = '2027-03-01T10:20:00+01:00'; // ... the doors are tried inside their window
const RATE = intEnv('BENCH_ACCESS_RATE', 1000);
const SECONDS = intEnv('BENCH_ACCESS_SECONDS', 10);
const CONCURRENCY = intEnv('BENCH_ACCESS_CONCURRENCY', 32);
// The first seconds of a load run slower (code being optimised, the young generation growing
// to the allocation rate): with 2 s of warm-up, the p99 of the next seconds was 6.7-8.8 ms, then
// 4.9-5.7, then 3-5 ms from the fifth second of load on.
const WARMUP_MS = 5000;
const PATH = '/access/v1/decisions';
const BARE_BODY = JSON.stringify({ decision: 'ALLOW', reason: 'STAFF' });

const COLLECTIVES = 40;
const MEMBERS_PER_COLLECTIVE = 6;
const ROOMS = 8; // collectives 0..7 hold room i now, 8 holds the kitchen now, 9..16 hold room i - 9 later today
const STEWARDS = 10;
const ENDED = 20;
const LOST = 10;
const UNKNOWN = 50;
const BURST_BOOKINGS = 4; // more workshop rooms booked now, by collectives kept out of the load: first entries at once
const BURST_MEMBERS = 6;

const SWEEP = [1, 4, 16];
const SWEEP_SECONDS = 3;
const PROFILE_SECONDS = 3;

const TARGET_P99_MS = 5;
const TARGET_THROUGHPUT = 3000;
const TARGET_RATIO = 0.5;

type Door = { id: string; secret: string };

runBench(async (cleanup) => {
  const results = new Results();
  log(`Tiers-Lieu door decision bench - node ${process.version}, load average ${loadAverage()}`);
  const setupStart = performance.now();
  const database = await startBenchDatabase();
  cleanup.push(() => database.stop());
  log(`PostgreSQL: ${database.description}`);
  const clock = new RealTimeClock(SETUP_AT);
  const t = await startBenchApp(database.url, clock);
  cleanup.unshift(() => t.close());
  const settings = await t.sql(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync','synchronous_commit','shared_buffers','max_connections') ORDER BY name`);
  log(`App: ${t.baseUrl}, ready in ${ms(performance.now() - setupStart)}; PostgreSQL ${settings.map((s) => `${s.name}=${s.setting}`).join(' ')}`);
  if (database.postmasterPid !== undefined) await prepareWalSegments(t);

  section('Setup: two doors, badges for every case of the decision');
  const house = houseBuilder(t);
  const { doors, uids, expected, counts, firstEntries, bursts } = await buildHouse(t, house);
  clock.set(RUN_AT);
  log(`doors: Entrée (24/7 zone), Ateliers (booking only); ${uids.length} uids: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  log(`setup done in ${ms(performance.now() - setupStart)}; app clock now ${clock.now().toISOString()}`);

  // What one decision costs the server, alone: its SQL statements.
  section('One decision alone: SQL statements');
  const memberUid = uids[expected[1].indexOf('BOOKING_WINDOW')];
  const alone = [
    ['Entrée, member', doors[0]],
    ['Ateliers, booking now, first entry (checks the booking in)', doors[1]],
    ['Ateliers, booking now, already checked in', doors[1]],
  ] as const;
  const decideOnce = (door: Door) =>
    doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: PATH, body: JSON.stringify({ badgeUid: memberUid }), timestamp: clock.now().getTime() });
  let steadyState: QueryLog[] = [];
  for (const [i, [name, door]] of alone.entries()) {
    // Let the previous decision's follow-up work (event stream, door notifications) finish first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (i === alone.length - 1) {
      await decideOnce(door);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const one = await t.captureQueries(() => decideOnce(door));
    log(`${name}: ${one.value.body.decision} ${one.value.body.reason}, ${one.queries.length} SQL statements:`);
    for (const [shape, count] of groupStatements(one.queries)) log(`  ${String(count).padStart(3)} x ${shape}`);
    results.info(`SQL statements per decision (${name})`, String(one.queries.length));
    steadyState = one.queries;
  }

  // Several members of a collective badging in together at the start of their booking: each
  // decision is the booking's first entry, so each tries to check it in.
  section(`Concurrent first entries: ${BURST_MEMBERS} members of a collective at the Ateliers door at once, ${BURST_BOOKINGS} bookings`);
  const burst = await firstEntriesAtOnce(t, doors[1], clock, bursts);
  const burstOk = burst.statuses['200 BOOKING_WINDOW'] === BURST_BOOKINGS * BURST_MEMBERS && burst.checkedIn === BURST_BOOKINGS;
  log(`answers: ${JSON.stringify(burst.statuses)}; slowest group answered in ${ms(burst.slowestMs)}; bookings checked in: ${burst.checkedIn} of ${BURST_BOOKINGS}`);
  for (const e of burst.errors) log(`  error answer: ${e}`);
  if (!burstOk) log('  (the app log above shows why: each first entry locks the booking row FOR KEY SHARE through the access_event foreign key, then asks FOR UPDATE to check it in)');
  results.check('concurrent first entries into a booking: 200 BOOKING_WINDOW', `${burst.statuses['200 BOOKING_WINDOW'] ?? 0} of ${BURST_BOOKINGS * BURST_MEMBERS} (slowest group ${burst.slowestMs.toFixed(0)} ms)`, 'all, one check-in each', burstOk);

  // The load's bookings are checked in now, one entry at a time: the load measures steady-state
  // decisions (the concurrent first entries are the check above).
  for (const uid of firstEntries) {
    const answer = await doorRequest({ baseUrl: t.baseUrl, doorId: doors[1].id, secret: doors[1].secret, method: 'POST', path: PATH, body: JSON.stringify({ badgeUid: uid }), timestamp: clock.now().getTime() });
    if (answer.body?.reason !== 'BOOKING_WINDOW') throw new Error(`first entry of ${uid}: ${answer.status} ${answer.text}`);
  }

  await vacuumAnalyze(t);
  await applyPostgresSettings(t, process.env.BENCH_ACCESS_PG_SETTINGS, database.postmasterPid !== undefined);
  const rowsBefore = await writtenRows(t);
  const base = { host: '127.0.0.1', path: PATH, doors, uids, clockOffsetMs: clock.offsetMs, warmupMs: WARMUP_MS, durationMs: SECONDS * 1000 };
  const appPort = Number(new URL(t.baseUrl).port);

  section(`a. App, open loop: ${RATE} decisions/s for ${SECONDS} s`);
  const openCpu = new CpuMeter(database.postmasterPid);
  const openGc = new GcMeter();
  const appOpen = await runDoorLoad({ ...base, port: appPort, expected, mode: 'open', rate: RATE, concurrency: 0, seed: 1 });
  const appOpenCpu = openCpu.read();
  const appOpenGc = openGc.read();
  const appOpenStats = reportOpen(appOpen, appOpenCpu);
  log(`${describeGc(appOpenGc)} (warm-up included)`);

  section(`b. App, closed loop: ${CONCURRENCY} in flight for ${SECONDS} s`);
  const sampler = await startWaitSampler(database.url);
  const closedCpu = new CpuMeter(database.postmasterPid);
  const pgBefore = postgresProcessTicks(database.postmasterPid);
  const appClosed = await runDoorLoad({ ...base, port: appPort, expected, mode: 'closed', rate: 0, concurrency: CONCURRENCY, seed: 7 });
  const pgAfter = postgresProcessTicks(database.postmasterPid);
  const appClosedCpu = closedCpu.read();
  const waits = await sampler.stop();
  const labels = await postgresLabels(t, database.postmasterPid);
  const appClosedStats = reportClosed(appClosed, appClosedCpu);
  log(`app's PostgreSQL connections (pool of 20): ${describeWaits(waits)}`);
  const appRuns = [appOpen, appClosed];

  section('c. Bare node:http server, same thread, same load generator');
  const bare = await startBareServer();
  cleanup.unshift(() => bare.close());
  log(`bare server on 127.0.0.1:${bare.port} answering ${BARE_BODY}`);
  const bareOpenCpu = new CpuMeter(database.postmasterPid);
  const bareOpen = await runDoorLoad({ ...base, port: bare.port, expected: null, mode: 'open', rate: RATE, concurrency: 0, seed: 1 });
  const bareOpenReading = bareOpenCpu.read();
  log('open loop:');
  const bareOpenStats = reportOpen(bareOpen, bareOpenReading);
  const bareClosedCpu = new CpuMeter(database.postmasterPid);
  const bareClosed = await runDoorLoad({ ...base, port: bare.port, expected: null, mode: 'closed', rate: 0, concurrency: CONCURRENCY, seed: 7 });
  const bareClosedReading = bareClosedCpu.read();
  log('closed loop:');
  const bareClosedStats = reportClosed(bareClosed, bareClosedReading);
  await bare.close();

  section('d. Where the time goes (diagnostics, not targets)');
  if (pgAfter.size) {
    log(`PostgreSQL CPU during b, by process (ms per decision, user + system):`);
    for (const g of postgresBreakdown(pgBefore, pgAfter, (pid) => labels.get(pid) ?? 'exited since (autovacuum worker...)', appClosed.completed)) {
      if (g.userMs + g.systemMs >= 0.005) log(`  ${g.label.padEnd(44)} ${(g.userMs + g.systemMs).toFixed(3)} (user ${g.userMs.toFixed(3)}, system ${g.systemMs.toFixed(3)})`);
    }
  }
  log('\nPostgreSQL time per statement of one decision (Ateliers, already checked in), median of 20 EXPLAIN ANALYZE, rolled back:');
  const explained = await explainStatements(database.url, steadyState);
  for (const e of explained) log(`  plan ${e.planningMs.toFixed(3)} ms + run ${e.executionMs == null ? '  n/a' : e.executionMs.toFixed(3)} ms  ${e.sql}`);
  const planning = explained.reduce((n, e) => n + e.planningMs, 0);
  const execution = explained.reduce((n, e) => n + (e.executionMs ?? 0), 0);
  log(`  total: planning ${planning.toFixed(3)} ms + execution ${execution.toFixed(3)} ms per decision (EXPLAIN plans each statement anew; the app's are prepared and planned once per connection)`);
  const [head] = await t.sql(
    `SELECT pg_relation_size('event_log_head') AS bytes, n_live_tup, n_dead_tup, n_tup_upd, n_tup_hot_upd, autovacuum_count FROM pg_stat_user_tables WHERE relname = 'event_log_head'`,
  );
  log(`event_log_head (one row, updated by every decision): ${head.bytes} bytes on disk, ${head.n_dead_tup} dead tuples, ${head.n_tup_hot_upd} of ${head.n_tup_upd} updates HOT, autovacuumed ${head.autovacuum_count} times`);

  log(`\nclosed loop at several concurrencies (${SWEEP_SECONDS} s each after 0.5 s of warm-up):`);
  const sweep: string[][] = [];
  const sweepRates: Array<{ inFlight: number; rate: number; latency: Summary }> = [];
  for (const [i, inFlight] of SWEEP.entries()) {
    const levelSampler = await startWaitSampler(database.url);
    const levelCpu = new CpuMeter(database.postmasterPid);
    const run = await runDoorLoad({ ...base, warmupMs: 500, durationMs: SWEEP_SECONDS * 1000, port: appPort, expected, mode: 'closed', rate: 0, concurrency: inFlight, seed: 100 + i });
    const cpu = levelCpu.read();
    const levelWaits = await levelSampler.stop();
    appRuns.push(run);
    sweep.push(sweepRow(String(inFlight), run, cpu, levelWaits));
    sweepRates.push({ inFlight, rate: (run.completed / run.wallMs) * 1000, latency: summarize([...run.latencies]) });
  }
  log(table(SWEEP_HEADER, sweep));
  log('(CPU per decision counts the warm-up requests too; "others" = cores used by other processes meanwhile)');

  const profiled = await profileMainThread(() =>
    runDoorLoad({ ...base, warmupMs: 500, durationMs: PROFILE_SECONDS * 1000, port: appPort, expected, mode: 'closed', rate: 0, concurrency: CONCURRENCY, seed: 200 }),
  );
  appRuns.push(profiled.value);
  const { summary } = profiled;
  const pct = (msSelf: number) => `${((msSelf / summary.totalMs) * 100).toFixed(1)}%`;
  const perDecision = (msSelf: number) => `${((msSelf / Math.max(1, profiled.value.sent)) * 1000).toFixed(0)} us/decision`;
  log(`\napp main thread, CPU profile of ${PROFILE_SECONDS + 0.5} s at ${CONCURRENCY} in flight (${profiled.value.sent} decisions), self time by place:`);
  for (const [where, msSelf] of summary.byPlace.slice(0, 14)) log(`  ${where.padEnd(36)} ${pct(msSelf).padStart(6)}  ${perDecision(msSelf)}`);
  log('top functions by self time:');
  for (const [name, msSelf] of summary.topFunctions.slice(0, 12)) log(`  ${pct(msSelf).padStart(6)}  ${name.slice(0, 110)}`);

  const rowsAfter = await writtenRows(t);

  // Checks: every request answered 200 with the expected reason, every decision written.
  section('Checks');
  const requests = appRuns.reduce((n, r) => n + r.sent, 0);
  const non200 = appRuns.reduce((n, r) => n + Object.entries(r.statuses).filter(([s]) => s !== '200').reduce((m, [, c]) => m + c, 0), 0);
  const mismatches = appRuns.reduce((n, r) => n + r.mismatches, 0);
  const decided = appRuns.reduce((n, r) => n + r.decided, 0);
  const bareNon200 = [bareOpen, bareClosed].reduce((n, r) => n + Object.entries(r.statuses).filter(([s]) => s !== '200').reduce((m, [, c]) => m + c, 0), 0);
  const written = { access: rowsAfter.access - rowsBefore.access, log: rowsAfter.log - rowsBefore.log, requests: rowsAfter.requests - rowsBefore.requests };
  log(`app: ${requests} requests (warm-ups included), ${non200} not 200 ${non200 ? JSON.stringify(appRuns.map((r) => r.statuses)) : ''}, ${mismatches} with an unexpected reason`);
  for (const r of appRuns) {
    for (const [status, error] of Object.entries(r.firstErrorByStatus)) log(`first ${status} answer: ${error}`);
    if (r.firstError && !Object.keys(r.firstErrorByStatus).length) log(`first error: ${r.firstError}`);
    if (r.firstMismatch) log(`first mismatch: ${r.firstMismatch}`);
  }
  log(`reasons answered: ${JSON.stringify(mergeCounts(appRuns.map((r) => r.reasons)))}`);
  log(`written: ${written.access} access events, ${written.log} access.decided log entries, ${written.requests} remembered door requests, for ${decided} decisions answered`);
  results.check('app: requests answered 200 / other', `${requests - non200} / ${non200}`, 'all 200', non200 === 0);
  results.check('app: answers with the expected reason', `${requests - non200 - mismatches} / ${requests - non200}`, 'all', mismatches === 0);
  results.check('app: access events / log entries written', `${written.access} / ${written.log}`, `${decided} / ${decided}`, written.access === decided && written.log === decided && decided === requests);
  results.check('bare: requests answered 200', `${bareOpen.sent + bareClosed.sent - bareNon200} / ${bareOpen.sent + bareClosed.sent}`, 'all 200', bareNon200 === 0);

  section('Summary');
  const ratio = appClosedStats.rate / bareClosedStats.rate;
  results.add(`a. app open loop ${RATE}/s: p99`, ms(appOpenStats.latency.p99), `<= ${TARGET_P99_MS} ms`, appOpenStats.latency.p99 <= TARGET_P99_MS ? 'PASS' : 'FAIL');
  results.info(`a. app open loop: p50 / p99 from intended send`, `${appOpenStats.fromIntended.p50.toFixed(2)} / ${appOpenStats.fromIntended.p99.toFixed(2)} ms`);
  results.info(`a. app open loop: achieved rate`, `${appOpenStats.rate.toFixed(0)}/s`);
  results.info('a. app open loop: GC pauses (scavenges / mark-compacts)', `${appOpenGc.scavenges} (<= ${appOpenGc.scavengeMaxMs.toFixed(1)} ms) / ${appOpenGc.markCompacts}`);
  results.noise('a. app open loop', appOpenCpu);
  results.add(`b. app closed loop (${CONCURRENCY} in flight)`, `${appClosedStats.rate.toFixed(0)} decisions/s`, `>= ${TARGET_THROUGHPUT}/s`, appClosedStats.rate >= TARGET_THROUGHPUT ? 'PASS' : 'FAIL');
  results.info('b. app closed loop: p50 / p99', `${appClosedStats.latency.p50.toFixed(2)} / ${appClosedStats.latency.p99.toFixed(2)} ms`);
  const ceiling = cpuCeiling(appClosedCpu, appClosed.completed);
  if (ceiling.eventLoop != null) results.info('b. app main-thread CPU ceiling', `~${ceiling.eventLoop.toFixed(0)} decisions/s`);
  results.noise('b. app closed loop', appClosedCpu);
  results.info(`c. bare open loop ${RATE}/s: p50 / p99`, `${bareOpenStats.latency.p50.toFixed(2)} / ${bareOpenStats.latency.p99.toFixed(2)} ms`);
  results.info(`c. bare closed loop (${CONCURRENCY} in flight)`, `${bareClosedStats.rate.toFixed(0)} req/s, p50 / p99 ${bareClosedStats.latency.p50.toFixed(2)} / ${bareClosedStats.latency.p99.toFixed(2)} ms`);
  results.noise('c. bare closed loop', bareClosedReading);
  results.add('c. app / bare throughput', `${(ratio * 100).toFixed(1)}%`, `>= ${TARGET_RATIO * 100}%`, ratio >= TARGET_RATIO ? 'PASS' : 'FAIL');
  const alone1 = sweepRates.find((r) => r.inFlight === 1);
  if (alone1) results.info('d. one in flight: p50 / p99', `${alone1.latency.p50.toFixed(2)} / ${alone1.latency.p99.toFixed(2)} ms (${alone1.rate.toFixed(0)}/s)`);
  const peak = [...sweepRates, { inFlight: CONCURRENCY, rate: appClosedStats.rate, latency: appClosedStats.latency }].sort((a, b) => b.rate - a.rate)[0];
  results.info('d. best closed-loop rate seen', `${peak.rate.toFixed(0)} decisions/s at ${peak.inFlight} in flight`);
  results.print();
  return results;
});

// ------------------------------------------------------------------------------------ setup

interface House {
  doors: Door[];
  /** The load's uids, and the reason expected for each at each door. */
  uids: string[];
  expected: string[][];
  counts: Record<string, number>;
  /** One qualified uid per booking open now in the workshops, to check them in before the load. */
  firstEntries: string[];
  /** Bookings open now that nobody entered yet, with their collective's uids (not in the load). */
  bursts: Array<{ bookingId: string; uids: string[] }>;
}

async function buildHouse(t: BenchApp, house: HouseBuilder): Promise<House> {
  const steward = await house.steward();
  const spaces = spacesBuilder(t, steward.token);
  const hygiene = await house.qualification('Hygiène (bench)');
  const lobby = await spaces.zone(true);
  const workshops = await spaces.zone(false);
  const rooms: string[] = [];
  for (let i = 0; i < ROOMS + BURST_BOOKINGS; i++) rooms.push(await spaces.resource({ name: `Atelier ${i + 1}`, zoneId: workshops }));
  const kitchen = await spaces.resource({ name: 'Cuisine', kind: 'KITCHEN', zoneId: workshops, requiredQualificationId: hygiene, minMinutes: 60 });
  // Doors first: a badge issued afterwards gets every door's key at once.
  const register = async (name: string, zoneId: string): Promise<Door> => {
    const data = await t.gqlOk(`mutation($n: String!, $z: ID!) { registerDoor(name: $n, zoneId: $z) { secret door { id } } }`, { n: name, z: zoneId }, steward.token);
    return { id: data.registerDoor.door.id, secret: data.registerDoor.secret };
  };
  const doors = [await register('Entrée', lobby), await register('Ateliers', workshops)];

  let uidCounter = 0x10000;
  const uids: string[] = [];
  const expected: string[][] = [[], []];
  const counts: Record<string, number> = {};
  const badges: Array<{ personId: string; uid: string }> = [];
  const add = (kind: string, uid: string, entrance: string, workshop: string) => {
    uids.push(uid);
    expected[0].push(entrance);
    expected[1].push(workshop);
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  const badge = (personId: string) => {
    const uid = `04A1${(uidCounter++).toString(16).toUpperCase().padStart(6, '0')}`;
    badges.push({ personId, uid });
    return uid;
  };

  for (let i = 0; i < STEWARDS; i++) add('staff', badge((await house.person({ roles: [Role.STEWARD] })).id), 'STAFF', 'STAFF');
  const collectives: Array<Array<TestPerson & { collectiveId: string }>> = [];
  for (let c = 0; c < COLLECTIVES; c++) {
    const first = await house.member();
    const rest = await Promise.all(Array.from({ length: MEMBERS_PER_COLLECTIVE - 1 }, () => house.member(first.collectiveId)));
    collectives.push([first, ...rest]);
  }
  // The kitchen collective: half its members hold the hygiene qualification.
  const kitchenCrew = collectives[ROOMS];
  for (const cook of kitchenCrew.slice(0, MEMBERS_PER_COLLECTIVE / 2)) await house.grant(cook.id, hygiene);
  const book = async (who: TestPerson & { collectiveId: string }, resourceId: string, from: string, to: string): Promise<string> =>
    (await t.gqlOk(BOOK, { input: { resourceId, collectiveId: who.collectiveId, title: 'Atelier', startsAt: `2027-03-01T${from}:00+01:00`, endsAt: `2027-03-01T${to}:00+01:00` } }, who.token)).book[0].id;
  for (let c = 0; c < ROOMS; c++) await book(collectives[c][0], rooms[c], '10:00', '12:00');
  await book(kitchenCrew[0], kitchen, '10:00', '12:00');
  for (let c = ROOMS + 1; c < ROOMS + 1 + ROOMS; c++) await book(collectives[c][0], rooms[c - ROOMS - 1], '15:00', '17:00');

  const firstEntries: string[] = [];
  collectives.forEach((members, c) => {
    members.forEach((m, j) => {
      const workshop = c < ROOMS ? 'BOOKING_WINDOW' : c === ROOMS ? (j < MEMBERS_PER_COLLECTIVE / 2 ? 'BOOKING_WINDOW' : 'QUALIFICATION_REQUIRED') : 'NO_BOOKING';
      const uid = badge(m.id);
      add(c <= ROOMS ? 'members booked now' : 'members not booked now', uid, 'MEMBER_ANYTIME', workshop);
      if (j === 0 && c <= ROOMS) firstEntries.push(uid);
    });
  });
  const bursts: Array<{ bookingId: string; uids: string[] }> = [];
  for (let i = 0; i < BURST_BOOKINGS; i++) {
    const first = await house.member();
    const members = [first, ...(await Promise.all(Array.from({ length: BURST_MEMBERS - 1 }, () => house.member(first.collectiveId))))];
    bursts.push({ bookingId: await book(first, rooms[ROOMS + i], '10:00', '12:00'), uids: members.map((m) => badge(m.id)) });
  }
  const former = await house.collective();
  for (let i = 0; i < ENDED; i++) {
    const person = await house.person();
    await house.membership(person.id, former.id, { startsAt: new Date('2027-01-01T00:00:00+01:00'), endsAt: new Date('2027-02-28T12:00:00+01:00') });
    add('memberships ended', badge(person.id), 'NO_MEMBERSHIP', 'NO_MEMBERSHIP');
  }
  const lost: string[] = [];
  for (let i = 0; i < LOST; i++) {
    const uid = badge((await house.member()).id);
    lost.push(uid);
    add('lost badges', uid, 'BADGE_INACTIVE', 'BADGE_INACTIVE');
  }
  for (let i = 0; i < UNKNOWN; i++) add('unknown uids', `DEAD${(0x1000 + i).toString(16).toUpperCase()}`, 'UNKNOWN_BADGE', 'UNKNOWN_BADGE');

  const ISSUE = `mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u, label: "Carte") { id } }`;
  const issued = new Map<string, string>();
  for (let i = 0; i < badges.length; i += 8) {
    await Promise.all(badges.slice(i, i + 8).map(async (b) => issued.set(b.uid, (await t.gqlOk(ISSUE, { p: b.personId, u: b.uid }, steward.token)).issueBadge.id)));
  }
  for (const uid of lost) await t.gqlOk(`mutation($id: ID!) { reportBadgeLost(id: $id) { status } }`, { id: issued.get(uid) }, steward.token);
  return { doors, uids, expected, counts, firstEntries, bursts };
}

/** Each group's members badge in at the same instant; returns what they were answered. */
async function firstEntriesAtOnce(
  t: BenchApp,
  door: Door,
  clock: RealTimeClock,
  groups: Array<{ bookingId: string; uids: string[] }>,
): Promise<{ statuses: Record<string, number>; errors: Set<string>; slowestMs: number; checkedIn: number }> {
  const statuses: Record<string, number> = {};
  const errors = new Set<string>();
  let slowestMs = 0;
  for (const group of groups) {
    const started = performance.now();
    const timestamp = clock.now().getTime();
    const answers = await Promise.all(
      group.uids.map((uid) => doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: PATH, body: JSON.stringify({ badgeUid: uid }), timestamp })),
    );
    slowestMs = Math.max(slowestMs, performance.now() - started);
    for (const a of answers) {
      const key = a.status === 200 ? `200 ${a.body.reason}` : String(a.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (a.status !== 200) errors.add(a.text.slice(0, 120));
    }
  }
  const [{ n: checkedIn }] = await t.sql(`SELECT count(*)::int AS n FROM booking WHERE id = ANY($1) AND status = 'CHECKED_IN'`, [groups.map((g) => g.bookingId)]);
  return { statuses, errors, slowestMs, checkedIn };
}

// ------------------------------------------------------------------------------------- load

async function runDoorLoad(data: DoorLoadData): Promise<DoorLoadResult> {
  const channel = new WorkerChannel(startBenchWorker('door-load.worker', data));
  try {
    return await channel.next<DoorLoadResult>('done', data.warmupMs + data.durationMs + 120_000);
  } finally {
    await channel.stop();
  }
}

function reportOpen(r: DoorLoadResult, cpu: CpuReading): { latency: Summary; fromIntended: Summary; rate: number } {
  const latency = summarize([...r.latencies]);
  const fromIntended = summarize([...r.fromIntended]);
  const lateness = summarize([...r.lateness]);
  const rate = (r.completed / r.wallMs) * 1000;
  log(`${r.completed} recorded of ${r.sent} sent (warm-up included), ${rate.toFixed(0)}/s achieved`);
  log(`latency send -> answer: ${formatSummary(latency)}`);
  log(`latency from intended send time: ${formatSummary(fromIntended)}`);
  const perSecond: string[] = [];
  for (let i = 0; i < r.latencies.length; i += Math.round(rate)) perSecond.push(summarize([...r.latencies.subarray(i, i + Math.round(rate))]).p99.toFixed(1));
  log(`p99 of each second, in order: ${perSecond.join(' ')} ms`);
  log(`generator lateness (sent after intended): p50 ${lateness.p50.toFixed(2)} ms p99 ${lateness.p99.toFixed(2)} ms max ${lateness.max.toFixed(2)} ms; generator event loop busy ${(r.generatorEventLoopUtilization * 100).toFixed(0)}%`);
  log(describeCpu(cpu, r.completed, 'decision'));
  return { latency, fromIntended, rate };
}

function reportClosed(r: DoorLoadResult, cpu: CpuReading): { latency: Summary; rate: number } {
  const latency = summarize([...r.latencies]);
  const rate = (r.completed / r.wallMs) * 1000;
  log(`${r.completed} recorded in ${ms(r.wallMs)}: ${rate.toFixed(0)}/s; latency ${formatSummary(latency)}; generator event loop busy ${(r.generatorEventLoopUtilization * 100).toFixed(0)}%`);
  log(describeCpu(cpu, r.completed, 'decision'));
  const ceiling = cpuCeiling(cpu, r.completed);
  if (ceiling.eventLoop != null) {
    log(
      `CPU-bound ceiling with the machine to itself: server main thread ${ceiling.eventLoop.toFixed(0)}/s` +
        (ceiling.machine != null ? `, all ${cpu.cores} cores (server + postgres + load generator) ${ceiling.machine.toFixed(0)}/s` : ''),
    );
  }
  return { latency, rate };
}

/** The bare reference: reads the body, answers a fixed JSON, keep-alive, in this (the app's) thread. */
function startBareServer(): Promise<{ port: number; close(): Promise<void> }> {
  const length = Buffer.byteLength(BARE_BODY);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
      res.end(BARE_BODY);
    });
  });
  let closed: Promise<void> | null = null;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => {
          closed ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closed;
        },
      }),
    );
  });
}

// ---------------------------------------------------------------------------------- helpers

const SWEEP_HEADER = ['in flight', 'decisions/s', 'p50 ms', 'p99 ms', 'conns waiting on a lock', 'idle in transaction', 'active, other', 'app CPU ms/dec', 'pg CPU ms/dec', 'others'];

/** One row of a closed-loop table: rate, latency, what the pool's connections did, CPU per decision. */
function sweepRow(label: string, run: DoorLoadResult, cpu: CpuReading, waits: WaitProfile): string[] {
  const latency = summarize([...run.latencies]);
  const avg = (prefix: string) => waits.average.filter(([state]) => state.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
  const perDecision = (cpuMs: number | null) => (cpuMs == null ? 'n/a' : (cpuMs / Math.max(1, run.sent)).toFixed(2));
  const others = otherCores(cpu);
  return [
    label,
    ((run.completed / run.wallMs) * 1000).toFixed(0),
    latency.p50.toFixed(2),
    latency.p99.toFixed(2),
    avg('active Lock').toFixed(1),
    avg('idle in transaction').toFixed(1),
    (avg('active') - avg('active Lock')).toFixed(1),
    perDecision(cpu.mainThreadMs),
    perDecision(cpu.postgresMs),
    others == null ? 'n/a' : others.toFixed(2),
  ];
}

async function writtenRows(t: BenchApp): Promise<{ access: number; log: number; requests: number }> {
  const [row] = await t.sql(
    `SELECT (SELECT count(*) FROM access_event)::int AS access, (SELECT count(*) FROM event_log WHERE type = 'access.decided')::int AS log, (SELECT count(*) FROM door_request)::int AS requests`,
  );
  return row;
}

/**
 * Planning and execution time of each statement, as PostgreSQL reports them: EXPLAIN ANALYZE in a
 * transaction rolled back (planning only, EXPLAIN SUMMARY, when running it again would fail, e.g.
 * the event log's next seq is taken by now). Median of `reps`.
 */
async function explainStatements(url: string, queries: QueryLog[], reps = 20): Promise<Array<{ sql: string; planningMs: number; executionMs: number | null }>> {
  const client = new Client({ connectionString: url, application_name: 'tiers-lieu-bench-explain' });
  await client.connect();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  try {
    const out: Array<{ sql: string; planningMs: number; executionMs: number | null }> = [];
    for (const q of queries) {
      if (/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(q.sql.trim())) continue;
      const planning: number[] = [];
      const execution: number[] = [];
      for (let i = 0; i < reps; i++) {
        await client.query('BEGIN');
        try {
          const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.sql}`, q.parameters as unknown[]);
          planning.push(rows[0]['QUERY PLAN'][0]['Planning Time']);
          execution.push(rows[0]['QUERY PLAN'][0]['Execution Time']);
        } catch {
          await client.query('ROLLBACK');
          await client.query('BEGIN');
          const { rows } = await client.query(`EXPLAIN (SUMMARY, FORMAT JSON) ${q.sql}`, q.parameters as unknown[]);
          planning.push(rows[0]['QUERY PLAN'][0]['Planning Time']);
        } finally {
          await client.query('ROLLBACK');
        }
      }
      out.push({ sql: q.sql.replace(/\s+/g, ' ').slice(0, 90), planningMs: median(planning), executionMs: execution.length ? median(execution) : null });
      if (process.env.BENCH_ACCESS_PLANS && execution.length) {
        await client.query('BEGIN');
        const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.parameters as unknown[]).finally(() => client.query('ROLLBACK'));
        log(rows.map((row) => `      ${row['QUERY PLAN']}`).join('\n'));
      }
    }
    return out;
  } finally {
    await client.end();
  }
}

/**
 * A server that has been running recycles its WAL segments at each checkpoint; a cluster
 * initdb'd seconds ago has one, and creates and zero-fills each next 16 MB segment inside a
 * commit (every ~8 s at 1,000 decisions/s), stalling every commit behind it. 256 MB of WAL then
 * a checkpoint gives the bench's cluster segments to recycle. Done at boot, so that the setup's
 * writes, not the load's, pay the full-page images that follow a checkpoint. Embedded cluster
 * only: DATABASE_URL's server's WAL and checkpoints are not the bench's to drive.
 */
async function prepareWalSegments(t: BenchApp): Promise<void> {
  const started = performance.now();
  await t.sql(`CREATE TABLE bench_wal_filler AS SELECT repeat('x', 1000) AS filler FROM generate_series(1, 256 * 1024)`);
  await t.sql(`DROP TABLE bench_wal_filler`);
  await t.sql(`CHECKPOINT`);
  const [wal] = await t.sql(`SELECT count(*)::int AS segments FROM pg_ls_waldir()`);
  log(`WAL: ${wal.segments} segments ready to recycle after a checkpoint (${ms(performance.now() - started)})`);
}

/** Tables vacuumed and analysed after the setup's writes, as autovacuum would have by now in a house in use. */
async function vacuumAnalyze(t: BenchApp): Promise<void> {
  const started = performance.now();
  await t.sql(`VACUUM ANALYZE`);
  log(`VACUUM ANALYZE after the setup (${ms(performance.now() - started)})`);
}

/** "name=value; name=value" for the whole bench server, as ALTER SYSTEM then a reload: every open session takes them. */
async function applyPostgresSettings(t: BenchApp, settings: string | undefined, ownServer: boolean): Promise<void> {
  const pairs = (settings ?? '').split(';').map((pair) => pair.split('=').map((part) => part.trim())).filter(([name]) => name);
  if (!pairs.length) return;
  // ALTER SYSTEM outlives the run: only on the bench's own throw-away cluster, never on DATABASE_URL's server.
  if (!ownServer) throw new Error('BENCH_ACCESS_PG_SETTINGS needs the embedded PostgreSQL (unset DATABASE_URL)');
  for (const [name, value] of pairs) {
    if (!/^[a-z_]+$/.test(name) || value === undefined) throw new Error(`BENCH_ACCESS_PG_SETTINGS: "${name}=${value}" is not name=value`);
    await t.sql(`ALTER SYSTEM SET ${name} = '${value.replace(/'/g, "''")}'`);
  }
  await t.sql(`SELECT pg_reload_conf()`);
  // A reload reaches each backend when it next waits for a command.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const applied = await t.sql(`SELECT name, setting FROM pg_settings WHERE name = ANY($1)`, [pairs.map(([name]) => name)]);
  log(`what-if: PostgreSQL ${applied.map((s) => `${s.name}=${s.setting}`).join(', ')} for the load (ALTER SYSTEM + reload)`);
}

/** pid -> what the process is, for the PostgreSQL CPU breakdown. */
async function postgresLabels(t: BenchApp, postmasterPid: number | undefined): Promise<Map<number, string>> {
  const rows = await t.sql(`SELECT pid, backend_type, application_name FROM pg_stat_activity`);
  const names: Record<string, string> = { 'tiers-lieu': 'app pool backends', 'tiers-lieu-listen': 'LISTEN backend (event stream)', 'tiers-lieu-bench-sampler': 'bench sampler' };
  const labels = new Map<number, string>(rows.map((r: { pid: number; backend_type: string; application_name: string }) => [r.pid, names[r.application_name] ?? r.backend_type]));
  if (postmasterPid) labels.set(postmasterPid, 'postmaster + exited children (autovacuum...)');
  return labels;
}

function mergeCounts(maps: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Statements grouped by shape, most frequent first. */
function groupStatements(queries: QueryLog[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const q of queries) {
    const shape = q.sql.replace(/\s+/g, ' ').slice(0, 140);
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

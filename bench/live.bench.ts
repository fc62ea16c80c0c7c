/**
 * Live updates benchmark: `npm run bench:live`.
 *
 * Boots the real app (main thread) on a fresh PostgreSQL, connects 1,000 socket.io clients to
 * /live (websocket transport, `auth: { token }`, one person each, 2% of them stewards), split over
 * two worker threads, each subscribed to everything with `subscribe {}` + ack. Then:
 *   0. baseline - 100 spaced bookings before anyone connects: the app's CPU per booking alone,
 *                 to tell what the fan-out to 1,000 clients adds.
 *   1. spaced   - 100 bookings over GraphQL, one every 30 ms (a steady arrival rate, each sent at
 *                 its slot whether or not the previous one answered), from a third worker thread.
 *                 The target: p99 delivery latency <= 250 ms, every client gets every event once.
 *   2. burst    - 100 more bookings as fast as they go (8 in flight): the same figures, for info.
 * Delivery latency = when a client's handler ran - when the booking's HTTP response was read by
 * the booker. The response leaves the server just after COMMIT, so it is the first moment the
 * booking is known to exist; the event can only be pushed after the same COMMIT. Measured from
 * the response, latency can be slightly negative (the push beat the response); measured from just
 * before the request (also printed), it adds the booking's own processing time, an upper bound.
 * Times come from one monotonic clock shared by all threads (lib/clock.ts).
 * Exit code: 0; 1 when an event was lost or duplicated, or a client failed to connect; 2 on a crash.
 *
 * Knobs (env): BENCH_LIVE_CLIENTS (1000), BENCH_LIVE_WORKERS (2), BENCH_LIVE_BOOKINGS (100),
 * BENCH_LIVE_SPACING_MS (30), BENCH_LIVE_BURST_CONCURRENCY (8).
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { ManualClock } from '../src/common/time/clock';
import { Role } from '../src/identity/models/identity.enums';
import type { HouseBuilder, TestPerson } from '../test/support/house';
import { BOOK, EVERY_DAY, hours } from '../test/support/spaces';
import { CpuMeter, describeCpu } from './lib/cpu';
import { houseBuilder, spacesBuilder, startBenchApp } from './lib/harness';
import { LoadResult, sendFromWorker } from './lib/http-load';
import type { CollectResult, LiveWorkerData, ReadyResult } from './lib/live-clients.worker';
import { startBenchDatabase } from './lib/postgres';
import { Results, loadAverage, log, runBench, section } from './lib/report';
import { formatSummary, ms, summarize } from './lib/stats';
import { WorkerChannel, startBenchWorker } from './lib/worker';

const ZONE = 'Europe/Brussels';
const NOW = '2027-01-04T08:00:00+01:00'; // a Monday morning; every booking below is later
const intEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const CLIENTS = intEnv('BENCH_LIVE_CLIENTS', 1000);
const WORKERS = intEnv('BENCH_LIVE_WORKERS', 2);
const BOOKINGS = intEnv('BENCH_LIVE_BOOKINGS', 100);
const SPACING_MS = intEnv('BENCH_LIVE_SPACING_MS', 30);
const BURST_CONCURRENCY = intEnv('BENCH_LIVE_BURST_CONCURRENCY', 8);
const WARMUP_BOOKINGS = 5;
const ROOMS = 5;
const BOOKERS = 10;
const STEWARD_SHARE = 50; // one listener in 50 is a steward (joins the staff room too)
const COLLECT_TIMEOUT_MS = 15_000;

const TARGET_P99_MS = 250;

const local = (isoDate: string, minutesOfDay: number, plusDays = 0) =>
  DateTime.fromISO(isoDate, { zone: ZONE }).plus({ days: plusDays, minutes: minutesOfDay }).toISO({ suppressMilliseconds: true })!;

/** The clients, spread over worker threads. */
class LiveClientsPool {
  private constructor(private readonly channels: WorkerChannel[]) {}

  static async connect(baseUrl: string, tokens: string[], workers: number): Promise<{ pool: LiveClientsPool; ready: ReadyResult[] }> {
    const per = Math.ceil(tokens.length / workers);
    const channels = Array.from({ length: workers }, (_, w) => {
      const data: LiveWorkerData = { url: baseUrl, tokens: tokens.slice(w * per, (w + 1) * per), connectConcurrency: 25 };
      return new WorkerChannel(startBenchWorker('live-clients.worker', data));
    });
    const pool = new LiveClientsPool(channels);
    try {
      return { pool, ready: await Promise.all(channels.map((c) => c.next<ReadyResult>('ready', 180_000))) };
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  async collect(ids: string[], timeoutMs: number): Promise<CollectResult[]> {
    return Promise.all(this.channels.map((c) => c.ask<CollectResult>({ type: 'collect', ids, timeoutMs }, 'collected', timeoutMs + 30_000)));
  }

  async reset(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.ask({ type: 'reset' }, 'reset-done')));
  }

  async close(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.ask({ type: 'close' }, 'closed', 10_000).catch(() => undefined)));
    await Promise.all(this.channels.map((c) => c.stop()));
  }
}

runBench(async (cleanup) => {
  const results = new Results();
  log(`Tiers-Lieu live bench - node ${process.version}, load average ${loadAverage()}`);
  const setupStart = performance.now();
  const database = await startBenchDatabase();
  cleanup.push(() => database.stop());
  log(`PostgreSQL: ${database.description}`);
  const clock = new ManualClock(NOW);
  const t = await startBenchApp(database.url, clock);
  cleanup.unshift(() => t.close());
  log(`App: ${t.baseUrl} (clock at ${NOW}), ready in ${ms(performance.now() - setupStart)}`);

  const house = houseBuilder(t);
  const steward = await house.steward();
  const spaces = spacesBuilder(t, steward.token);
  const zoneId = await spaces.zone();
  const rooms: string[] = [];
  for (let i = 0; i < ROOMS; i++) rooms.push(await spaces.resource({ name: `Live room ${i + 1}`, zoneId, openingHours: hours(EVERY_DAY, '07:00', '23:00') }));
  const bookers: Array<TestPerson & { collectiveId: string }> = [];
  for (let i = 0; i < BOOKERS; i++) bookers.push(await house.member());

  // Booking i: room i % ROOMS; per room, 8 two-hour cells a day from 07:00, an hour long.
  let booked = 0;
  const bookingRequests = (count: number) =>
    Array.from({ length: count }, () => {
      const i = booked++;
      const room = i % ROOMS;
      const k = Math.floor(i / ROOMS);
      const start = 7 * 60 + (k % 8) * 120;
      const booker = bookers[i % BOOKERS];
      const input = { resourceId: rooms[room], collectiveId: booker.collectiveId, title: `Live ${i}`, startsAt: local('2027-02-01', start, Math.floor(k / 8)), endsAt: local('2027-02-01', start + 60, Math.floor(k / 8)) };
      return { query: BOOK, variables: { input }, token: booker.token };
    });

  // Baseline: what the same spaced bookings cost the app's main thread with nobody listening.
  section(`0. Baseline: ${BOOKINGS} bookings, one every ${SPACING_MS} ms, nobody connected`);
  await sendFromWorker(t.baseUrl, bookingRequests(WARMUP_BOOKINGS), 1);
  const baselineCpu = new CpuMeter(database.postmasterPid);
  const baseline = await sendFromWorker(t.baseUrl, bookingRequests(BOOKINGS), 4, { spacingMs: SPACING_MS });
  const baselineReading = baselineCpu.read();
  log(`${baseline.results.filter((r) => r.code === null).length} booked; response time ${formatSummary(summarize(baseline.results.map((r) => r.ms)))}`);
  log(describeCpu(baselineReading, BOOKINGS, 'booking'));
  results.noise('baseline', baselineReading);

  section(`Setup: ${CLIENTS} listeners in ${WORKERS} worker threads`);
  const peopleStart = performance.now();
  const listeners = await makeListeners(house, CLIENTS);
  log(`${CLIENTS} persons (${Math.ceil(CLIENTS / STEWARD_SHARE)} stewards) and their tokens in ${ms(performance.now() - peopleStart)}`);
  const connectCpu = new CpuMeter(database.postmasterPid);
  const { pool, ready } = await LiveClientsPool.connect(t.baseUrl, listeners, WORKERS);
  cleanup.unshift(() => pool.close());
  const connectReading = connectCpu.read();
  const connected = ready.reduce((n, r) => n + r.connected, 0);
  const failedToConnect = ready.reduce((n, r) => n + r.failed, 0);
  const setup = summarize(ready.flatMap((r) => r.setupMs));
  log(`connected and subscribed: ${connected} of ${CLIENTS} in ${ms(Math.max(...ready.map((r) => r.connectMs)))} (25 handshakes in flight per worker)`);
  if (failedToConnect) log(`first connection failure: ${ready.find((r) => r.firstError)?.firstError}`);
  log(`connect + subscribe per client: ${formatSummary(setup)}`);
  log(describeCpu(connectReading, CLIENTS, 'client'));
  results.check('clients connected and subscribed', `${connected} / ${CLIENTS}`, `${CLIENTS}`, connected === CLIENTS);
  results.info('connect + subscribe p50 / p99', `${setup.p50.toFixed(1)} / ${setup.p99.toFixed(1)} ms`);

  section(`Warm-up: ${WARMUP_BOOKINGS} bookings, delivered to every client`);
  const warm = await sendFromWorker(t.baseUrl, bookingRequests(WARMUP_BOOKINGS), 1, { keepData: true });
  const warmIds = bookingIds(warm.results);
  const warmCollect = await pool.collect(warmIds, COLLECT_TIMEOUT_MS);
  log(`warm-up: ${warmIds.length} booked, ${warmCollect.reduce((n, c) => n + c.lost, 0)} deliveries lost (not counted)`);
  await pool.reset();

  const phase = async (name: string, label: string, concurrency: number, spacingMs: number, target: boolean) => {
    section(name);
    const cpu = new CpuMeter(database.postmasterPid);
    const sent = await sendFromWorker(t.baseUrl, bookingRequests(BOOKINGS), concurrency, { keepData: true, spacingMs });
    const ids = bookingIds(sent.results);
    const collected = await pool.collect(ids, COLLECT_TIMEOUT_MS);
    const cpuReading = cpu.read();
    await pool.reset();
    const failed = sent.results.filter((r) => r.code !== null);
    log(`${ids.length} booked, ${failed.length} failed in ${ms(sent.wallMs)} (${spacingMs ? `one every ${spacingMs} ms` : 'as fast as they go'}, ${concurrency} in flight at most)`);
    if (failed.length) log(`first failure: ${JSON.stringify(failed[0].error)}`);
    const booking = summarize(sent.results.map((r) => r.ms));
    log(`booking response time: ${formatSummary(booking)}`);

    const byResponse: number[] = [];
    const byRequest: number[] = [];
    const spread: number[] = [];
    const okResults = sent.results.filter((r) => r.code === null);
    let early = 0;
    okResults.forEach((r, j) => {
      let first = Infinity;
      let last = -Infinity;
      for (const c of collected) {
        for (let i = 0; i < c.clients; i++) {
          const at = c.firstAt[j * c.clients + i];
          if (Number.isNaN(at)) continue;
          byResponse.push(at - r.doneAt);
          byRequest.push(at - r.sentAt);
          if (at < r.doneAt) early++;
          first = Math.min(first, at);
          last = Math.max(last, at);
        }
      }
      if (last >= first) spread.push(last - first);
    });
    const expected = ids.length * CLIENTS;
    const lost = collected.reduce((n, c) => n + c.lost, 0);
    const duplicates = collected.reduce((n, c) => n + c.duplicates, 0);
    const unexpected = collected.reduce((n, c) => n + c.unexpected, 0);
    const outOfOrder = collected.reduce((n, c) => n + c.outOfOrder, 0);
    const missingClients = collected.reduce((n, c) => n + c.clientsMissingSome, 0);
    const disconnects = collected.reduce((n, c) => n + c.disconnects, 0);
    const fromResponse = summarize(byResponse);
    const fromRequest = summarize(byRequest);
    const fanOut = summarize(spread);
    log(`deliveries: ${byResponse.length.toLocaleString('en')} of ${expected.toLocaleString('en')} expected; lost ${lost}, duplicated ${duplicates}, other events ${unexpected}, out of seq order ${outOfOrder}, clients missing some ${missingClients}, disconnects ${disconnects}`);
    log(`latency from the booking's HTTP response: ${formatSummary(fromResponse)}`);
    log(`  (${((early / Math.max(1, byResponse.length)) * 100).toFixed(1)}% of deliveries arrived before the response did)`);
    log(`latency from just before the request (upper bound): ${formatSummary(fromRequest)}`);
    log(`fan-out spread per event (first to last client): ${formatSummary(fanOut)}`);
    log(`client workers' event loops busy: ${collected.map((c) => `${(c.eventLoopUtilization * 100).toFixed(0)}%`).join(', ')} (a busy worker delays its own receive times)`);
    log(describeCpu(cpuReading, ids.length, 'booking'));

    const exactlyOnce = lost === 0 && duplicates === 0 && unexpected === 0 && failed.length === 0 && ids.length === BOOKINGS;
    if (target) results.add(`${label}: delivery p99 (from response)`, ms(fromResponse.p99), `<= ${TARGET_P99_MS} ms`, fromResponse.p99 <= TARGET_P99_MS ? 'PASS' : 'FAIL');
    else results.info(`${label}: delivery p99 (from response)`, ms(fromResponse.p99));
    results.info(`${label}: delivery p50 / max (from response)`, `${fromResponse.p50.toFixed(1)} / ${fromResponse.max.toFixed(1)} ms`);
    results.info(`${label}: delivery p50 / p99 (from request)`, `${fromRequest.p50.toFixed(1)} / ${fromRequest.p99.toFixed(1)} ms`);
    results.check(`${label}: deliveries / lost / duplicated`, `${byResponse.length.toLocaleString('en')} / ${lost} / ${duplicates}`, `${expected.toLocaleString('en')} / 0 / 0`, exactlyOnce && byResponse.length === BOOKINGS * CLIENTS);
    results.noise(label, cpuReading);
    return cpuReading;
  };

  const spaced = await phase(`1. Spaced: ${BOOKINGS} bookings, one every ${SPACING_MS} ms, ${CLIENTS} clients`, 'spaced', 4, SPACING_MS, true);
  if (spaced.mainThreadMs != null && baselineReading.mainThreadMs != null) {
    const perBooking = (spaced.mainThreadMs - baselineReading.mainThreadMs) / BOOKINGS;
    log(`fan-out cost on the app's main thread: ${perBooking.toFixed(2)} ms per event for ${CLIENTS} clients (${((perBooking / CLIENTS) * 1000).toFixed(1)} us per delivery), over a booking alone at ${(baselineReading.mainThreadMs / BOOKINGS).toFixed(2)} ms`);
    results.info('app main thread per event: booking / fan-out', `${(baselineReading.mainThreadMs / BOOKINGS).toFixed(2)} / ${perBooking.toFixed(2)} ms (${((perBooking / CLIENTS) * 1000).toFixed(1)} us per client)`);
  }
  await phase(`2. Burst: ${BOOKINGS} bookings as fast as they go (${BURST_CONCURRENCY} in flight), ${CLIENTS} clients`, 'burst', BURST_CONCURRENCY, 0, false);

  section('Summary');
  results.print();
  return results;
});

/** Listeners: one person each (a few stewards), with a token. */
async function makeListeners(house: HouseBuilder, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 20) {
    const chunk = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, (_, j) => house.person({ roles: (i + j) % STEWARD_SHARE === 0 ? [Role.STEWARD] : undefined })),
    );
    tokens.push(...chunk.map((p) => p.token));
  }
  return tokens;
}

function bookingIds(responses: LoadResult[]): string[] {
  return responses.filter((r) => r.code === null).map((r) => (r.data as { book: Array<{ id: string }> }).book[0].id);
}

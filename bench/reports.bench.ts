/**
 * City reports benchmark: `npm run bench:reports`.
 *
 * Boots the real app on a fresh PostgreSQL, creates 30 resources over GraphQL with varied opening
 * hours (24/7; Monday-Saturday, closed on Sundays; every day 07-23; weekdays 09-17; two kitchens
 * with a 30-minute cleaning buffer), then inserts in SQL (generate_series, a few seconds):
 *   - 200,000 bookings over 2027, on each resource's own grid of cells inside its opening hours
 *     (cells are disjoint once the buffer is added, so no two bookings of a resource overlap,
 *     whatever their status; the local hour skipped in spring is left out), picked pseudo-randomly
 *     among ~209,000 cells; before "now" (1 Dec 2027) COMPLETED, NO_SHOW, CANCELLED or CHECKED_IN,
 *     after it CONFIRMED or CANCELLED;
 *   - 1,000,000 access events from 1 Jan 2027 to now at 4 doors, by 600 badges (each day ~300 of
 *     them may come, a few of those often), 10% at night, every decision and reason of DESIGN.md,
 *     unknown uids without a badge;
 * then VACUUM (ANALYZE) (what autovacuum would do after such a load; it also keeps autovacuum
 * from running during the measurements), and times over HTTP, one request at a time from a
 * worker thread, `occupancy(from, to, granularity: DAY)` for the whole year (30 x 365 rows) and
 * `attendance` for the year at DAY granularity: p50 and max of 5 runs after a warm-up (a query
 * slower than 5 s runs once). Target: occupancy for the year <= 1 s. The reports' totals are
 * checked against plain SQL counts. Where the time goes: occupancy split into SQL / service /
 * GraphQL and its costliest plan nodes (the whole EXPLAIN (ANALYZE, BUFFERS) when it misses 1 s);
 * attendance, when slower than 1 s, timed over 1, 2 and 4 months, its plan for the year
 * (EXPLAIN: ANALYZE would take as long as the query) and for January (EXPLAIN ANALYZE), and two
 * candidate rewrites of its SQL (src/audit/reports.repository.ts) timed and checked to give the
 * same rows.
 * Exit code: 0; 1 when the data or a report's totals are wrong; 2 on a crash.
 *
 * Knobs (env): BENCH_REPORTS_BOOKINGS (200000), BENCH_REPORTS_EVENTS (1000000), BENCH_REPORTS_RUNS (5).
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ReportsRepository } from '../src/audit/reports.repository';
import { ReportsService } from '../src/audit/reports.service';
import { ManualClock } from '../src/common/time/clock';
import { hours } from '../test/support/spaces';
import { CpuMeter, describeCpu } from './lib/cpu';
import { BenchApp, QueryLog, houseBuilder, spacesBuilder, startBenchApp } from './lib/harness';
import { sendFromWorker } from './lib/http-load';
import { startBenchDatabase } from './lib/postgres';
import { Results, loadAverage, log, runBench, section } from './lib/report';
import { Summary, formatSummary, ms, summarize, timed } from './lib/stats';

const intEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const ZONE = 'Europe/Brussels';
const NOW = '2027-12-01T12:00:00+01:00';
const YEAR_FROM = '2027-01-01T00:00:00+01:00';
const YEAR_TO = '2028-01-01T00:00:00+01:00';
const FIRST_DAY = '2027-01-01';
const LAST_DAY_EXCLUSIVE = '2028-01-01';
const BOOKINGS = intEnv('BENCH_REPORTS_BOOKINGS', 200_000);
const EVENTS = intEnv('BENCH_REPORTS_EVENTS', 1_000_000);
const RUNS = intEnv('BENCH_REPORTS_RUNS', 5);
const SLOW_MS = 5000;
const EVENT_BATCH = 100_000;
const PERSONS = 600;
const DAILY_POOL = 300; // badges that may come on a given day (a window moving through the 600), a few of them often
const COLLECTIVES = 40;

const TARGET_OCCUPANCY_MS = 1000;

interface Profile {
  count: number;
  label: string;
  weekdays: number[];
  opens: string;
  closes: string;
  /** Local minute of the first cell's start, cell length, number of cells a day. */
  firstMinute: number;
  cellMinutes: number;
  cells: number;
  /** A booking fills its cell (long) or its first half hour (short); the buffer follows it. */
  longMinutes: number;
  shortMinutes: number;
  bufferMinutes: number;
  kind?: string;
  minMinutes?: number;
}

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];
const PROFILES: Profile[] = [
  // Cells from 00:30, an hour each: the 23:30 one runs past midnight into the next day.
  { count: 6, label: '24/7', weekdays: ALL_WEEK, opens: '00:00', closes: '24:00', firstMinute: 30, cellMinutes: 60, cells: 24, longMinutes: 60, shortMinutes: 30, bufferMinutes: 0 },
  { count: 10, label: 'Mon-Sat 08-22, closed on Sundays', weekdays: [1, 2, 3, 4, 5, 6], opens: '08:00', closes: '22:00', firstMinute: 480, cellMinutes: 30, cells: 28, longMinutes: 30, shortMinutes: 30, bufferMinutes: 0 },
  { count: 8, label: 'every day 07-23', weekdays: ALL_WEEK, opens: '07:00', closes: '23:00', firstMinute: 420, cellMinutes: 60, cells: 16, longMinutes: 60, shortMinutes: 30, bufferMinutes: 0 },
  { count: 4, label: 'weekdays 09-17', weekdays: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00', firstMinute: 540, cellMinutes: 30, cells: 16, longMinutes: 30, shortMinutes: 30, bufferMinutes: 0 },
  { count: 2, label: 'kitchen Mon-Sat 08-22, 30 min cleaning', weekdays: [1, 2, 3, 4, 5, 6], opens: '08:00', closes: '22:00', firstMinute: 480, cellMinutes: 90, cells: 9, longMinutes: 60, shortMinutes: 60, bufferMinutes: 30, kind: 'KITCHEN', minMinutes: 60 },
];

const OCCUPANCY = `query($from: DateTime!, $to: DateTime!) {
  occupancy(from: $from, to: $to, granularity: DAY) {
    resource { id name } periodStart periodEnd openMinutes bookedMinutes usedMinutes bookings noShows cancellations distinctCollectives occupancyRate utilizationRate } }`;
const ATTENDANCE = `query($from: DateTime!, $to: DateTime!) {
  attendance(from: $from, to: $to, granularity: DAY) { periodStart periodEnd uniqueVisitors entries } }`;

runBench(async (cleanup) => {
  const results = new Results();
  log(`Tiers-Lieu reports bench - node ${process.version}, load average ${loadAverage()}`);
  const setupStart = performance.now();
  const database = await startBenchDatabase();
  cleanup.push(() => database.stop());
  log(`PostgreSQL: ${database.description}`);
  const t = await startBenchApp(database.url, new ManualClock(NOW));
  cleanup.unshift(() => t.close());
  const settings = await t.sql(`SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers','work_mem','max_parallel_workers_per_gather','jit') ORDER BY name`);
  log(`App: ${t.baseUrl}, ready in ${ms(performance.now() - setupStart)}; PostgreSQL ${settings.map((s) => `${s.name}=${s.setting}${s.unit ? ` ${s.unit}` : ''}`).join(' ')}`);

  const house = houseBuilder(t);
  const steward = await house.steward();
  const auditor = await house.auditor();
  const spaces = spacesBuilder(t, steward.token);

  section(`Data: 30 resources, ${BOOKINGS.toLocaleString('en')} bookings, ${EVENTS.toLocaleString('en')} access events`);
  const zones = [await spaces.zone(true), await spaces.zone(false)];
  const resources: Array<{ id: string; profile: Profile }> = [];
  for (const profile of PROFILES) {
    for (let i = 0; i < profile.count; i++) {
      const id = await spaces.resource({
        name: `${profile.label} #${i + 1}`,
        kind: profile.kind ?? 'ROOM',
        zoneId: zones[resources.length % 2],
        minMinutes: profile.minMinutes ?? 30,
        bufferMinutes: profile.bufferMinutes,
        openingHours: hours(profile.weekdays, profile.opens, profile.closes),
      });
      resources.push({ id, profile });
    }
  }
  const collectives: string[] = [];
  for (let i = 0; i < COLLECTIVES; i++) collectives.push((await house.collective({ name: `Report collective ${i + 1}` })).id);
  const doors: string[] = [];
  for (const [i, zoneId] of [zones[0], zones[0], zones[1], zones[1]].entries()) {
    const data = await t.gqlOk(`mutation($n: String!, $z: ID!) { registerDoor(name: $n, zoneId: $z) { door { id } } }`, { n: `Porte ${i + 1}`, z: zoneId }, steward.token);
    doors.push(data.registerDoor.door.id);
  }

  const loader = new Client({ connectionString: database.url, application_name: 'tiers-lieu-bench-loader' });
  await loader.connect();
  cleanup.unshift(() => loader.end().catch(() => undefined));

  const bookingInsert = await timed(() => insertBookings(loader, resources, collectives));
  const [bookingCheck] = (
    await loader.query(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE prev_end > starts_at)::int AS overlaps,
              count(*) FILTER (WHERE starts_at::date <> ends_at::date)::int AS across_midnight
         FROM (SELECT starts_at AT TIME ZONE '${ZONE}' AS starts_at, ends_at AT TIME ZONE '${ZONE}' AS ends_at,
                      lag(ends_at + make_interval(mins => buffer_minutes)) OVER (PARTITION BY resource_id ORDER BY starts_at) AT TIME ZONE '${ZONE}' AS prev_end
                 FROM booking) b`,
    )
  ).rows;
  const statuses = (await loader.query(`SELECT status, count(*)::int AS n FROM booking GROUP BY 1 ORDER BY 2 DESC`)).rows;
  log(`bookings: ${bookingCheck.n.toLocaleString('en')} inserted in ${ms(bookingInsert.ms)} (${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}); ${bookingCheck.across_midnight} run past midnight; overlaps (any status, buffer included): ${bookingCheck.overlaps}`);
  results.check('bookings inserted, no overlap', `${bookingCheck.n.toLocaleString('en')}, ${bookingCheck.overlaps} overlaps`, `${BOOKINGS.toLocaleString('en')}, 0 overlaps`, bookingCheck.n === BOOKINGS && bookingCheck.overlaps === 0);

  const eventInsert = await timed(() => insertAccessEvents(loader, doors));
  const [eventCheck] = (await loader.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE decision = 'ALLOW')::int AS allowed, min(at) AS first, max(at) AS last FROM access_event`)).rows;
  log(`\raccess events: ${eventCheck.n.toLocaleString('en')} inserted in ${ms(eventInsert.ms)} (${eventCheck.allowed.toLocaleString('en')} ALLOW; ${eventCheck.first.toISOString()} .. ${eventCheck.last.toISOString()})`);
  results.check('access events inserted', eventCheck.n.toLocaleString('en'), EVENTS.toLocaleString('en'), eventCheck.n === EVENTS);
  const vacuum = await timed(() => loader.query('VACUUM (ANALYZE) booking, access_event, resource, resource_opening_hours, badge, person, door'));
  log(`VACUUM (ANALYZE) in ${ms(vacuum.ms)}; data ready ${ms(performance.now() - setupStart)} after the start`);
  results.info('data load (bookings / events)', `${(bookingInsert.ms / 1000).toFixed(1)} s / ${(eventInsert.ms / 1000).toFixed(1)} s`);

  // -------------------------------------------------------------------------- occupancy
  section(`Occupancy for 2027 by DAY over HTTP (1 warm-up + ${RUNS} runs, one at a time)`);
  const variables = { from: YEAR_FROM, to: YEAR_TO };
  const occupancy = await overHttp(t, OCCUPANCY, variables, auditor.token, database.postmasterPid, 'occupancy');
  const rows = (occupancy.data as { occupancy: Array<Record<string, number>> }).occupancy;
  const expected = (await loader.query(
    `SELECT count(*) FILTER (WHERE status IN ('CONFIRMED','CHECKED_IN','COMPLETED','NO_SHOW'))::int AS bookings,
            count(*) FILTER (WHERE status = 'NO_SHOW')::int AS no_shows, count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancellations
       FROM booking WHERE starts_at >= $1 AND starts_at < $2`,
    [YEAR_FROM, YEAR_TO],
  )).rows[0];
  const sum = (key: string) => rows.reduce((n, r) => n + r[key], 0);
  const totals = { rows: rows.length, bookings: sum('bookings'), noShows: sum('noShows'), cancellations: sum('cancellations') };
  const occupancyOk = totals.rows === resources.length * 365 && totals.bookings === expected.bookings && totals.noShows === expected.no_shows && totals.cancellations === expected.cancellations;
  log(`rows ${totals.rows} (expected ${resources.length * 365}); bookings ${totals.bookings} / noShows ${totals.noShows} / cancellations ${totals.cancellations}, SQL says ${expected.bookings} / ${expected.no_shows} / ${expected.cancellations}; response ${(occupancy.bytes / 1e6).toFixed(1)} MB`);
  const sundays = rows.filter((r: any) => r.resource.name.startsWith('Mon-Sat') && new Date(r.periodStart).getUTCDay() === 6 && r.openMinutes === 0).length;
  log(`mean occupancy rate ${(rows.reduce((n, r) => n + r.occupancyRate, 0) / rows.length).toFixed(3)}; Mon-Sat resources have ${sundays} closed Sunday rows (expected ${10 * 52})`);
  results.check('occupancy totals = SQL counts', `${totals.rows} rows, ${totals.bookings} bookings`, `${resources.length * 365} rows, ${expected.bookings} bookings`, occupancyOk);
  results.add('occupancy, year by DAY, p50 (HTTP)', ms(occupancy.timing.p50), `<= ${TARGET_OCCUPANCY_MS} ms`, occupancy.timing.p50 <= TARGET_OCCUPANCY_MS ? 'PASS' : 'FAIL');
  results.add('occupancy, year by DAY, max (HTTP)', ms(occupancy.timing.max), `<= ${TARGET_OCCUPANCY_MS} ms`, occupancy.timing.max <= TARGET_OCCUPANCY_MS ? 'PASS' : 'FAIL');
  results.noise('occupancy', occupancy.cpu);

  const repository = t.app.get(ReportsRepository);
  const service = t.app.get(ReportsService);
  const [from, to] = [new Date(YEAR_FROM), new Date(YEAR_TO)];
  const inProcess = async (work: () => Promise<unknown>) => summarize(await sequential(RUNS, async () => (await timed(work)).ms));
  const sqlOnly = await inProcess(() => repository.occupancy(from, to, 'DAY', null));
  const serviceOnly = await inProcess(() => service.occupancy(from, to, 'DAY', null));
  log(`in process: ReportsRepository.occupancy (SQL + row mapping) ${formatSummary(sqlOnly)}`);
  log(`in process: ReportsService.occupancy (+ snapshot, ledger head, resources) ${formatSummary(serviceOnly)}`);
  log(`so of the HTTP p50 ${ms(occupancy.timing.p50)}: SQL ~${ms(sqlOnly.p50)}, service ~${ms(serviceOnly.p50 - sqlOnly.p50)}, GraphQL + JSON + HTTP ~${ms(occupancy.timing.p50 - serviceOnly.p50)}`);
  results.info('occupancy p50: SQL / service / GraphQL+HTTP', `${sqlOnly.p50.toFixed(0)} / ${(serviceOnly.p50 - sqlOnly.p50).toFixed(0)} / ${(occupancy.timing.p50 - serviceOnly.p50).toFixed(0)} ms`);

  // ------------------------------------------------------------------------- attendance
  section(`Attendance for 2027 by DAY over HTTP (1 warm-up + ${RUNS} runs, one at a time; one run if slower than ${SLOW_MS / 1000} s)`);
  const attendance = await overHttp(t, ATTENDANCE, variables, auditor.token, database.postmasterPid, 'attendance');
  const days = (attendance.data as { attendance: Array<{ entries: number; uniqueVisitors: number }> }).attendance;
  const [allowed] = (await loader.query(`SELECT count(*)::int AS n FROM access_event WHERE decision = 'ALLOW' AND badge_id IS NOT NULL AND at >= $1 AND at < $2`, [YEAR_FROM, YEAR_TO])).rows;
  const entries = days.reduce((n, d) => n + d.entries, 0);
  log(`rows ${days.length} (expected 365); entries ${entries}, SQL says ${allowed.n}; busiest day ${Math.max(...days.map((d) => d.uniqueVisitors))} visitors`);
  results.check('attendance totals = SQL counts', `${days.length} rows, ${entries} entries`, `365 rows, ${allowed.n} entries`, days.length === 365 && entries === allowed.n);
  results.add('attendance, year by DAY, p50 / max (HTTP)', `${attendance.timing.p50.toFixed(1)} / ${attendance.timing.max.toFixed(1)} ms`, '-', 'info');
  results.noise('attendance', attendance.cpu);

  // ---------------------------------------------------------------------- where it goes
  const missed = occupancy.timing.p50 > TARGET_OCCUPANCY_MS || occupancy.timing.max > TARGET_OCCUPANCY_MS;
  section(`EXPLAIN (ANALYZE, BUFFERS) of the report SQL${missed ? ' (occupancy missed its target)' : ''}`);
  const occupancySql = await captureReportSql(t, () => repository.occupancy(from, to, 'DAY', null), /WITH\s+periods/);
  await explain(loader, 'occupancy', occupancySql, missed, results);
  if (attendance.timing.p50 > TARGET_OCCUPANCY_MS) await attendanceDiagnosis(t, loader, service, days, results);
  else await explain(loader, 'attendance', await captureReportSql(t, () => service.attendance(from, to, 'DAY'), /WITH\s+periods/), false, results);

  section('Summary');
  results.print();
  return results;
});

/**
 * Why attendance is slow, without running it for the year again: how its time grows with the
 * range, its plan for the year (EXPLAIN) and for one month (EXPLAIN ANALYZE), and a candidate fix
 * measured on the same data and checked to give the same rows.
 */
async function attendanceDiagnosis(t: BenchApp, client: Client, service: ReportsService, yearRows: Array<{ periodStart?: unknown; uniqueVisitors: number; entries: number }>, results: Results): Promise<void> {
  section('Attendance: where the time goes');
  const growth: string[] = [];
  for (const months of [1, 2, 4]) {
    const to = new Date(YEAR_FROM);
    to.setUTCMonth(to.getUTCMonth() + months);
    const run = await timed(() => service.attendance(new Date(YEAR_FROM), to, 'DAY'));
    growth.push(`${months} month${months > 1 ? 's' : ''} ${ms(run.ms)}`);
  }
  log(`attendance by DAY in process (SQL), from 1 January: ${growth.join(', ')} - it grows with the square of the range`);
  results.info('attendance by DAY: 1 / 2 / 4 months (SQL)', growth.map((g) => g.split(' ').slice(-2).join(' ')).join(' / '));

  const yearSql = await captureReportSql(t, () => service.attendance(new Date(YEAR_FROM), new Date(YEAR_TO), 'DAY'), /WITH\s+periods/);
  const plan = (await client.query(`EXPLAIN ${yearSql.sql}`, yearSql.parameters as unknown[])).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  log(`\nEXPLAIN for the year (the join of periods and visits is a range condition: a nested loop over all visits for each of the 365 days):`);
  log(plan.map((line: string) => `  ${line}`).join('\n'));
  const month = new Date(YEAR_FROM);
  month.setUTCMonth(month.getUTCMonth() + 1);
  const monthSql = await captureReportSql(t, () => service.attendance(new Date(YEAR_FROM), month, 'DAY'), /WITH\s+periods/);
  log(`\nEXPLAIN (ANALYZE, BUFFERS) for January only (31 days):`);
  const analyzed = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${monthSql.sql}`, monthSql.parameters as unknown[])).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  log(analyzed.map((line: string) => `  ${line}`).join('\n'));

  // Candidate: join each visit to its period by the period's start (date_trunc of its day): an
  // equality, so a hash join, instead of the range condition. Same rows for DAY, WEEK and MONTH.
  const range = /LEFT JOIN visits v ON v\.day >= pr\.local_start::date AND v\.day < pr\.local_end::date/;
  const normalized = yearSql.sql.replace(/\s+/g, ' ');
  if (!range.test(normalized)) {
    log('\n(candidate fix not measured: the attendance SQL no longer has the expected join)');
    return;
  }
  const equiJoin = normalized.replace(range, 'LEFT JOIN (SELECT v.*, date_trunc($3, v.day::timestamp) AS local_start FROM visits v) v ON v.local_start = pr.local_start');
  await measureCandidate(client, '1. joined on the period start (v.local_start = pr.local_start: an equality, so a hash or merge join)', equiJoin, yearSql, yearRows, results, 'equi-join');
  // Candidate 2: also count entries per (day, badge) before hashing: one sha256 and one row to sort per visitor-day, not per entry.
  const perEntry = /SELECT \(e\.at AT TIME ZONE 'Europe\/Brussels'\)::date AS day, encode\(sha256\(convert_to\(\$4 \|\| e\.badge_id::text, 'UTF8'\)\), 'hex'\) AS visitor, 1 AS entries FROM access_event e, bounds WHERE (.*?) UNION ALL/;
  if (!perEntry.test(equiJoin)) {
    log('\n(candidate 2 not measured: the visits of the attendance SQL no longer have the expected shape)');
    return;
  }
  const perDay = equiJoin.replace(
    perEntry,
    (_, where: string) =>
      `SELECT day, encode(sha256(convert_to($4 || badge_id::text, 'UTF8')), 'hex') AS visitor, entries FROM (SELECT (e.at AT TIME ZONE 'Europe/Brussels')::date AS day, e.badge_id, count(*)::int AS entries FROM access_event e, bounds WHERE ${where} GROUP BY 1, 2) per_day UNION ALL`,
  );
  await measureCandidate(client, '2. and entries counted per (day, badge) before hashing', perDay, yearSql, yearRows, results, 'equi-join + per-day count');
}

async function measureCandidate(
  client: Client,
  title: string,
  sql: string,
  original: QueryLog,
  yearRows: Array<{ uniqueVisitors: number; entries: number }>,
  results: Results,
  label: string,
): Promise<void> {
  const runs: number[] = [];
  let rows: Array<{ unique_visitors: string; entries: string }> = [];
  for (let i = 0; i < 3; i++) {
    const run = await timed(() => client.query(sql, original.parameters as unknown[]));
    runs.push(run.ms);
    rows = run.value.rows;
  }
  const same = rows.length === yearRows.length && rows.every((r, i) => Number(r.unique_visitors) === yearRows[i].uniqueVisitors && Number(r.entries) === yearRows[i].entries);
  const timing = summarize(runs);
  log(`\ncandidate fix ${title}:`);
  log(`  year by DAY: ${formatSummary(timing)}; same ${rows.length} rows as the app's answer: ${same ? 'yes' : 'NO'}`);
  const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, original.parameters as unknown[])).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  log(plan.map((line: string) => `  ${line}`).join('\n'));
  results.info(`attendance year, candidate ${label} (SQL p50)`, `${ms(timing.p50)}, same rows: ${same ? 'yes' : 'NO'}`);
}

// -------------------------------------------------------------------------------- loading

async function insertBookings(client: Client, resources: Array<{ id: string; profile: Profile }>, collectives: string[]): Promise<void> {
  const column = (pick: (p: Profile) => number) => resources.map((r) => pick(r.profile));
  await client.query(
    `WITH res AS (
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[])
         AS r(resource_id, weekday_mask, first_minute, cell_minutes, cells, long_minutes, short_minutes, buffer_minutes)),
     cells AS (
       SELECT r.resource_id, r.buffer_minutes, r.long_minutes, r.short_minutes, d::date AS day, k AS cell,
              d::date + make_interval(mins => r.first_minute + k * r.cell_minutes) AS local_start,
              hashtextextended(r.resource_id::text || d::date::text || k::text, 42) AS h
         FROM res r
        CROSS JOIN generate_series($10::date, $11::date - 1, interval '1 day') d
        CROSS JOIN LATERAL generate_series(0, r.cells - 1) k
        WHERE (r.weekday_mask >> (extract(isodow FROM d)::int - 1)) & 1 = 1),
     slots AS (
       SELECT c.*, c.local_start AT TIME ZONE '${ZONE}' AS starts_at,
              CASE WHEN abs(c.h / 7) % 3 = 0 THEN c.short_minutes ELSE c.long_minutes END AS minutes,
              abs(c.h % 100) AS dice
         FROM cells c),
     chosen AS (
       SELECT s.*,
              CASE WHEN s.starts_at < $12::timestamptz
                   THEN CASE WHEN s.dice < 7 THEN 'NO_SHOW' WHEN s.dice < 17 THEN 'CANCELLED' WHEN s.dice < 20 THEN 'CHECKED_IN' ELSE 'COMPLETED' END
                   ELSE CASE WHEN s.dice < 12 THEN 'CANCELLED' ELSE 'CONFIRMED' END END AS status
         FROM slots s
        WHERE (s.starts_at AT TIME ZONE '${ZONE}') = s.local_start -- the hour that does not exist in spring
        ORDER BY s.h LIMIT $13)
     INSERT INTO booking (resource_id, collective_id, title, starts_at, ends_at, buffer_minutes, status, price_cents, checked_in_at, cancelled_at)
     SELECT c.resource_id, ($9::uuid[])[1 + abs(c.h / 100) % array_length($9::uuid[], 1)], 'Report ' || c.day || ' #' || c.cell,
            c.starts_at, c.starts_at + make_interval(mins => c.minutes), c.buffer_minutes, c.status, 0,
            CASE WHEN c.status IN ('CHECKED_IN','COMPLETED') THEN c.starts_at END,
            CASE WHEN c.status = 'CANCELLED' THEN c.starts_at - interval '2 days' END
       FROM chosen c`,
    [
      resources.map((r) => r.id),
      column((p) => p.weekdays.reduce((mask, d) => mask | (1 << (d - 1)), 0)),
      column((p) => p.firstMinute),
      column((p) => p.cellMinutes),
      column((p) => p.cells),
      column((p) => p.longMinutes),
      column((p) => p.shortMinutes),
      column((p) => p.bufferMinutes),
      collectives,
      FIRST_DAY,
      LAST_DAY_EXCLUSIVE,
      NOW,
      BOOKINGS,
    ],
  );
}

/**
 * Persons and badges in SQL (fast; rows as the app would write them), then the events in batches.
 * Reasons by share: UNKNOWN_BADGE 3% (no badge), BADGE_INACTIVE 1%, NO_MEMBERSHIP 1.5%, NO_BOOKING
 * 3.5%, QUALIFICATION_REQUIRED 1% (DENY); STAFF 3%, BOOKING_WINDOW 20%, MEMBER_ANYTIME 67% (ALLOW).
 */
async function insertAccessEvents(client: Client, doors: string[]): Promise<void> {
  const persons = (
    await client.query(
      `INSERT INTO person (display_name, handle, created_at) SELECT 'Visiteur ' || i, 'bench-visitor-' || i, '2026-12-01' FROM generate_series(1, $1::int) i RETURNING id`,
      [PERSONS],
    )
  ).rows.map((r) => r.id as string);
  const badges = (
    await client.query(
      `INSERT INTO badge (person_id, label, uid_hash, status, issued_at)
       SELECT p, 'Carte', encode(sha256(convert_to(p::text, 'UTF8')), 'hex'), CASE WHEN n % 40 = 0 THEN 'LOST' ELSE 'ACTIVE' END, '2026-12-01'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS x(p, n) RETURNING id, person_id`,
      [persons],
    )
  ).rows as Array<{ id: string; person_id: string }>;
  const days = Math.floor((Date.parse(NOW) - Date.parse(YEAR_FROM)) / 86_400_000);
  for (let lo = 0; lo < EVENTS; lo += EVENT_BATCH) {
    await client.query(
      `INSERT INTO access_event (id, door_id, badge_id, person_id, at, decision, reason, booking_id, offline)
       SELECT gen_random_uuid(), ($1::uuid[])[1 + i % array_length($1::uuid[], 1)],
              CASE WHEN x.reason = 'UNKNOWN_BADGE' THEN NULL ELSE ($2::uuid[])[x.b] END,
              CASE WHEN x.reason = 'UNKNOWN_BADGE' THEN NULL ELSE ($3::uuid[])[x.b] END,
              ((DATE '${FIRST_DAY}' + d.day) + make_interval(secs => x.tod)) AT TIME ZONE '${ZONE}',
              CASE WHEN x.reason IN ('STAFF','BOOKING_WINDOW','MEMBER_ANYTIME') THEN 'ALLOW' ELSE 'DENY' END, x.reason, NULL, i % 40 = 0
         FROM generate_series($4::bigint, $5::bigint - 1) i
        CROSS JOIN LATERAL (SELECT (i * $6::bigint / $7::bigint)::int AS day) d
        CROSS JOIN LATERAL (
          SELECT 1 + (d.day * 53 + floor(${DAILY_POOL} * power(((i * 7919) % 10007) / 10007.0, 2))::int) % array_length($2::uuid[], 1) AS b,
                 CASE WHEN i % 10 = 0 THEN (i * 7919) % 86400 ELSE 25200 + (i * 104729) % 54000 END AS tod,
                 CASE WHEN (i * 2654435761) % 1000 < 30 THEN 'UNKNOWN_BADGE' WHEN (i * 2654435761) % 1000 < 40 THEN 'BADGE_INACTIVE'
                      WHEN (i * 2654435761) % 1000 < 55 THEN 'NO_MEMBERSHIP' WHEN (i * 2654435761) % 1000 < 90 THEN 'NO_BOOKING'
                      WHEN (i * 2654435761) % 1000 < 100 THEN 'QUALIFICATION_REQUIRED' WHEN (i * 2654435761) % 1000 < 130 THEN 'STAFF'
                      WHEN (i * 2654435761) % 1000 < 330 THEN 'BOOKING_WINDOW' ELSE 'MEMBER_ANYTIME' END AS reason) x`,
      [doors, badges.map((b) => b.id), badges.map((b) => b.person_id), lo, Math.min(EVENTS, lo + EVENT_BATCH), days, EVENTS],
    );
    process.stdout.write(`\rinserted ${Math.min(EVENTS, lo + EVENT_BATCH).toLocaleString('en')} access events...`);
  }
}

// ------------------------------------------------------------------------------ measuring

async function overHttp(
  t: BenchApp,
  query: string,
  variables: Record<string, unknown>,
  token: string,
  postmasterPid: number | undefined,
  name: string,
): Promise<{ timing: Summary; data: unknown; bytes: number; cpu: ReturnType<CpuMeter['read']> }> {
  // One response kept for the checks (it is also the warm-up), then the timed runs from the load
  // worker; a query slower than SLOW_MS is timed by that first run only, to keep the bench short.
  const cpu = new CpuMeter(postmasterPid);
  const first = await timed(async () => {
    const response = await fetch(`${t.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    return response.text();
  });
  const text = first.value;
  const body = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`${name} failed: ${JSON.stringify(body.errors).slice(0, 500)}`);
  let samples = [first.ms];
  if (first.ms <= SLOW_MS) {
    const { results } = await sendFromWorker(t.baseUrl, Array.from({ length: RUNS }, () => ({ query, variables, token })), 1);
    const failed = results.find((r) => r.code !== null);
    if (failed) throw new Error(`${name} failed: ${JSON.stringify(failed.error)}`);
    samples = results.map((r) => r.ms);
    log(`${name}: ${formatSummary(summarize(samples))} (first, not counted: ${ms(first.ms)})`);
  } else {
    log(`${name}: ${ms(first.ms)} for one run (slower than ${SLOW_MS / 1000} s: not repeated)`);
  }
  const reading = cpu.read();
  log(describeCpu(reading, samples.length + (samples.length > 1 ? 1 : 0), 'query'));
  return { timing: summarize(samples), data: body.data, bytes: text.length, cpu: reading };
}

async function sequential(n: number, work: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await work());
  return out;
}

async function captureReportSql(t: BenchApp, work: () => Promise<unknown>, shape: RegExp): Promise<QueryLog> {
  const { queries } = await t.captureQueries(work);
  const found = queries.find((q) => shape.test(q.sql));
  if (!found) throw new Error(`could not capture the report SQL: ${queries.map((q) => q.sql.slice(0, 60)).join(' | ')}`);
  return found;
}

async function explain(client: Client, name: string, q: QueryLog, full: boolean, results: Results): Promise<void> {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.parameters as unknown[]);
  const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  const execution = plan.find((line) => line.startsWith('Execution Time')) ?? '?';
  const planning = plan.find((line) => line.startsWith('Planning Time')) ?? '?';
  log(`${name}: ${planning}, ${execution}`);
  results.info(`${name} SQL (EXPLAIN ANALYZE)`, execution.replace('Execution Time: ', ''));
  if (full) {
    log(plan.map((line) => `  ${line}`).join('\n'));
  } else {
    // The costliest nodes only: actual total time of each node, largest first.
    const nodes = plan
      .map((line) => ({ line, time: Number(/actual time=[\d.]+\.\.([\d.]+) rows=[\d.]+ loops=\d+/.exec(line)?.[1] ?? NaN) * Number(/loops=(\d+)/.exec(line)?.[1] ?? 1) }))
      .filter((n) => !Number.isNaN(n.time))
      .sort((a, b) => b.time - a.time)
      .slice(0, 6);
    for (const n of nodes) log(`  ${n.time.toFixed(0).padStart(7)} ms  ${n.line.trim().slice(0, 150)}`);
  }
}

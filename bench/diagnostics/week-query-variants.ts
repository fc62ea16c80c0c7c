/**
 * Diagnostic, not part of `npm run bench`: measures the week query (20 resources x 35 bookings =
 * 700 rows) with candidate server fixes applied by monkeypatching at boot, to show where the time
 * goes before anyone edits src/. Nothing is written to src/.
 *
 *   node -r ts-node/register/transpile-only bench/diagnostics/week-query-variants.ts [variant...]
 *
 * Variants (default: all, one fresh app each):
 *   as-is       the server as it is (since 670bf1d: per-row @ResolveField resource/collective, batched per
 *               request by RequestLoaders, 4 SQL statements)
 *   plain       the query resolver loads resources and collectives in 2 queries and returns them inline;
 *               the per-row @ResolveField resolvers for Booking.resource/collective are not registered
 *   plain+fmt   plain + DateTime serialized with a cached Brussels offset instead of luxon per value
 *   plain+fmt+nocc  plain+fmt + Apollo's cache-control plugin disabled (it instruments every field)
 *   scalars     the query without collective/resource (lower bound for 700 rows)
 *
 * Delete this file once the fixes are in src/ (it pokes at private members and will rot).
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { ManualClock } from '../../src/common/time/clock';
import { BookingsResolver, toBookingModel } from '../../src/bookings/bookings.resolver';
import { DateTimeScalar } from '../../src/common/time/date-time.scalar';
import { formatInstant } from '../../src/common/time/site-time';
import { toCollectiveModel } from '../../src/identity/identity.mappers';
import { toResourceModel } from '../../src/spaces/spaces.mappers';
import { houseBuilder, spacesBuilder, startBenchApp } from '../lib/harness';
import { sendFromWorker } from '../lib/http-load';
import { startBenchDatabase } from '../lib/postgres';
import { formatSummary, summarize } from '../lib/stats';

const VARIANTS = ['as-is', 'plain', 'plain+fmt', 'plain+fmt+nocc', 'scalars'];
const FULL = `query($f: DateTime!, $t: DateTime!, $ids: [ID!]) {
  bookings(from: $f, to: $t, resourceIds: $ids) { id title startsAt endsAt status collective { id name } resource { id name } } }`;
const SCALARS = `query($f: DateTime!, $t: DateTime!, $ids: [ID!]) { bookings(from: $f, to: $t, resourceIds: $ids) { id title startsAt endsAt status } }`;

/** Replaces a decorated method and keeps the decorator metadata Nest reads from the function. */
function replaceMethod(proto: any, name: string, impl: (...args: any[]) => unknown): (...args: any[]) => any {
  const original = proto[name];
  for (const key of Reflect.getMetadataKeys(original)) Reflect.defineMetadata(key, Reflect.getMetadata(key, original), impl);
  proto[name] = impl;
  return original;
}

/** Brussels offset looked up once per UTC hour (DST changes fall on whole UTC hours). */
const offsets = new Map<number, { minutes: number; text: string }>();
function formatWithCachedOffset(instant: Date): string {
  const ms = instant.getTime();
  const hour = Math.floor(ms / 3_600_000);
  let offset = offsets.get(hour);
  if (!offset) {
    const minutes = DateTime.fromMillis(ms, { zone: 'Europe/Brussels' }).offset;
    const abs = Math.abs(minutes);
    offset = { minutes, text: `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}` };
    offsets.set(hour, offset);
  }
  const iso = new Date(ms + offset.minutes * 60_000).toISOString();
  return (ms % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23)) + offset.text;
}

function applyPatches(variant: string): void {
  if (variant.startsWith('plain')) {
    replaceMethod(BookingsResolver.prototype, 'bookings', async function (this: any, from: Date, to: Date, resourceIds: string[] | null, statuses: any) {
      const list: any[] = await this.bookingService.list(from, to, resourceIds ?? null, statuses ?? null);
      const [resources, collectives] = await Promise.all([
        this.spaces.resourcesByIds([...new Set(list.map((b) => b.resourceId))]),
        this.collectiveRepository.findByIds([...new Set(list.map((b) => b.collectiveId))]),
      ]);
      const r = new Map<string, any>(resources.map((x: any) => [x.id, toResourceModel(x)]));
      const c = new Map<string, any>(collectives.map((x: any) => [x.id, toCollectiveModel(x)]));
      return list.map((b) => ({ ...toBookingModel(b), resource: r.get(b.resourceId), collective: c.get(b.collectiveId) }));
    });
    // Drop the per-row field resolvers so graphql's default resolver reads the inline objects.
    const explorerPath = join(__dirname, '..', '..', 'node_modules', '@nestjs', 'graphql', 'dist', 'services', 'resolvers-explorer.service.js');
    const { ResolversExplorerService } = require(explorerPath);
    const explore = ResolversExplorerService.prototype.explore;
    ResolversExplorerService.prototype.explore = function (this: unknown) {
      const resolvers = explore.call(this);
      if (resolvers.Booking) {
        delete resolvers.Booking.resource;
        delete resolvers.Booking.collective;
      }
      return resolvers;
    };
  }
  if (variant.includes('fmt')) {
    for (const ms of [0, 1, Date.UTC(2027, 2, 28, 0, 59), Date.UTC(2027, 2, 28, 1), Date.UTC(2027, 9, 31, 0, 59, 59, 999), Date.UTC(2027, 9, 31, 1)]) {
      const a = formatWithCachedOffset(new Date(ms));
      const b = formatInstant(new Date(ms));
      if (a !== b) throw new Error(`cached-offset formatting differs: ${a} vs ${b}`);
    }
    DateTimeScalar.prototype.serialize = (value: unknown) => {
      if (value instanceof Date) return formatWithCachedOffset(value);
      if (typeof value === 'string') return formatWithCachedOffset(new Date(value));
      throw new Error('DateTime cannot represent a non-date value');
    };
  }
  if (variant.includes('nocc')) {
    const { GraphQLModule } = require('@nestjs/graphql');
    const { ApolloServerPluginCacheControlDisabled } = require('@apollo/server/plugin/disabled');
    const forRoot = GraphQLModule.forRoot;
    GraphQLModule.forRoot = (options: any) => forRoot.call(GraphQLModule, { ...options, plugins: [...(options.plugins ?? []), ApolloServerPluginCacheControlDisabled()] });
  }
}

async function run(variant: string): Promise<void> {
  applyPatches(variant);
  const database = await startBenchDatabase();
  const t = await startBenchApp(database.url, new ManualClock('2027-01-04T08:00:00+01:00'));
  try {
    const house = houseBuilder(t);
    const spaces = spacesBuilder(t, (await house.steward()).token);
    const zoneId = await spaces.zone();
    const resources: string[] = [];
    for (let i = 0; i < 20; i++) resources.push(await spaces.resource({ zoneId }));
    const collectives: string[] = [];
    for (let i = 0; i < 12; i++) collectives.push((await house.collective()).id);
    const reader = await house.member(collectives[0]);
    // Two weeks of 5 bookings a day per resource; the query asks for the first week.
    await t.sql(
      `INSERT INTO booking (resource_id, collective_id, title, starts_at, ends_at, buffer_minutes, status, price_cents)
       SELECT r.id, ($2::uuid[])[1 + (d * 7 + s * 3 + r.n) % 12], 'Diag', st, st + interval '1 hour', 0, 'CONFIRMED', 0
         FROM unnest($1::uuid[]) WITH ORDINALITY r(id, n), generate_series(0, 13) d, generate_series(0, 4) s,
         LATERAL (SELECT (('2027-03-01'::date + d) + make_interval(hours => 8 + 3 * s)) AT TIME ZONE 'Europe/Brussels' AS st) x`,
      [resources, collectives],
    );
    await t.sql('ANALYZE booking');
    const query = variant === 'scalars' ? SCALARS : FULL;
    const variables = { f: '2027-03-01T00:00:00+01:00', t: '2027-03-08T00:00:00+01:00', ids: resources };
    const { value: first, queries } = await t.captureQueries(() => t.gqlOk<{ bookings: unknown[] }>(query, variables, reader.token));
    // Sequential requests from the load worker, as in the bench: 30 warm-up, 150 measured.
    const { results } = await sendFromWorker(t.baseUrl, Array.from({ length: 180 }, () => ({ query, variables, token: reader.token })), 1);
    const failed = results.find((r) => r.code !== null);
    if (failed) throw new Error(`week query failed: ${JSON.stringify(failed.error)}`);
    const samples = results.slice(30).map((r) => r.ms);
    console.log(`${variant.padEnd(15)} rows ${first.bookings.length}, SQL ${String(queries.length).padStart(4)} | ${formatSummary(summarize(samples))}`);
  } finally {
    await t.close();
    await database.stop();
  }
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((v) => !VARIANTS.includes(v));
  if (unknown.length) throw new Error(`unknown variant(s) ${unknown.join(', ')}; choose among ${VARIANTS.join(', ')}`);
  const variants = asked.length ? asked : VARIANTS;
  if (variants.length === 1) return run(variants[0]);
  // Patches are process-wide: one child process per variant.
  const { execFileSync } = await import('node:child_process');
  for (const variant of variants) {
    execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, variant], { stdio: 'inherit' });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);

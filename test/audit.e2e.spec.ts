import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { ACCESS_RETENTION_JOB } from '../src/access/access.jobs';
import { BOOKING_HOUSEKEEPING_JOB } from '../src/bookings/bookings.jobs';
import { OCCUPANCY_COLUMNS } from '../src/audit/reports.controller';
import { Scheduler } from '../src/database/scheduler';
import { doorRequest } from './support/door-client';
import { HouseBuilder, TestPerson } from './support/house';
import { BOOK, SpacesBuilder, hours } from './support/spaces';
import { ManualClock, TestApp, errorCodes, startTestApp } from './support/test-app';

const run = promisify(execFile);

describe("the City's audit", () => {
  let t: TestApp;
  let clock: ManualClock;
  let house: HouseBuilder;
  let steward: TestPerson;
  let auditor: TestPerson;
  let a: TestPerson & { collectiveId: string };
  let b: TestPerson & { collectiveId: string };
  let allDay: string;
  let weekdays: string;
  let door: { id: string; secret: string };
  const ids: Record<string, string> = {};

  const occupancyQuery = `query($from: DateTime!, $to: DateTime!, $g: Granularity!, $r: [ID!]) {
    occupancy(from: $from, to: $to, granularity: $g, resourceIds: $r) {
      resource { id name } periodStart periodEnd openMinutes bookedMinutes usedMinutes bookings noShows cancellations distinctCollectives occupancyRate utilizationRate } }`;

  async function book(who: TestPerson & { collectiveId: string }, resourceId: string, startsAt: string, endsAt: string): Promise<string> {
    const data = await t.gqlOk(BOOK, { input: { resourceId, collectiveId: who.collectiveId, title: 'Audit', startsAt, endsAt } }, who.token);
    return data.book[0].id;
  }

  beforeAll(async () => {
    clock = new ManualClock('2027-02-20T10:00:00+01:00');
    t = await startTestApp({ clock });
    house = new HouseBuilder(t);
    steward = await house.steward();
    auditor = await house.auditor();
    const spaces = new SpacesBuilder(t, steward.token);
    const zone = await spaces.zone(true);
    allDay = await spaces.resource({ name: 'Atelier 24/7', zoneId: zone, openingHours: hours([1, 2, 3, 4, 5, 6, 7], '00:00', '24:00'), minMinutes: 60 });
    weekdays = await spaces.resource({ name: 'Salle fermée le dimanche', zoneId: zone, openingHours: hours([1, 2, 3, 4, 5, 6], '09:00', '17:00'), minMinutes: 60 });
    a = await house.member();
    b = await house.member();
    const registered = await t.gqlOk(`mutation($z: ID!) { registerDoor(name: "Entrée", zoneId: $z) { secret door { id } } }`, { z: zone }, steward.token);
    door = { id: registered.registerDoor.door.id, secret: registered.registerDoor.secret };

    // The constructed month: March 2027 (31 days, the clocks go forward on Sunday the 28th).
    ids.acrossMidnight = await book(a, allDay, '2027-03-05T22:00:00+01:00', '2027-03-06T02:00:00+01:00');
    ids.dstNight = await book(b, allDay, '2027-03-28T01:00:00+01:00', '2027-03-28T04:00:00+02:00');
    ids.cancelled = await book(a, weekdays, '2027-03-10T10:00:00+01:00', '2027-03-10T12:00:00+01:00');
    ids.forgotten = await book(b, weekdays, '2027-03-11T09:00:00+01:00', '2027-03-11T13:00:00+01:00');
    ids.monthEnd = await book(a, weekdays, '2027-03-31T16:00:00+02:00', '2027-03-31T17:00:00+02:00');
    ids.intoApril = await book(b, allDay, '2027-03-31T23:00:00+02:00', '2027-04-01T01:00:00+02:00');
    await t.gqlOk(`mutation($id: ID!) { cancelBooking(id: $id) { status } }`, { id: ids.cancelled }, a.token);

    const scheduler = t.app.get(Scheduler);
    clock.set('2027-03-05T21:50:00+01:00');
    await t.gqlOk(`mutation($id: ID!) { checkIn(bookingId: $id) { status } }`, { id: ids.acrossMidnight }, a.token);
    clock.set('2027-03-06T02:00:00+01:00');
    await scheduler.runNow(BOOKING_HOUSEKEEPING_JOB);
    clock.set('2027-03-28T01:31:00+01:00');
    await scheduler.runNow(BOOKING_HOUSEKEEPING_JOB);
    const statuses = await t.sql(`SELECT id, status FROM booking`);
    const status = Object.fromEntries(statuses.map((s) => [s.id, s.status]));
    expect([ids.acrossMidnight, ids.dstNight, ids.cancelled, ids.forgotten, ids.monthEnd, ids.intoApril].map((id) => status[id])).toEqual([
      'COMPLETED', 'NO_SHOW', 'CANCELLED', 'NO_SHOW', 'CONFIRMED', 'CONFIRMED',
    ]);
  });
  afterAll(() => t.close());

  describe('occupancy, by hand', () => {
    it('matches the hand-computed month for a 24/7 resource and one closed on Sundays', async () => {
      const data = await t.gqlOk(occupancyQuery, { from: '2027-03-01T00:00:00+01:00', to: '2027-04-01T00:00:00+02:00', g: 'MONTH', r: [allDay, weekdays] }, auditor.token);
      const byName = Object.fromEntries(data.occupancy.map((row: any) => [row.resource.name, row]));
      expect(byName['Atelier 24/7']).toEqual({
        resource: { id: allDay, name: 'Atelier 24/7' }, periodStart: '2027-03-01T00:00:00+01:00', periodEnd: '2027-04-01T00:00:00+02:00',
        // 31 days of 24 h, less the hour lost on 28 March.
        openMinutes: 31 * 1440 - 60,
        // 240 across midnight + 120 real minutes on the DST night + 60 of the booking that runs into April.
        bookedMinutes: 420, usedMinutes: 240, bookings: 3, noShows: 1, cancellations: 0, distinctCollectives: 2,
        occupancyRate: 420 / 44580, utilizationRate: 240 / 44580,
      });
      expect(byName['Salle fermée le dimanche']).toEqual({
        resource: { id: weekdays, name: 'Salle fermée le dimanche' }, periodStart: '2027-03-01T00:00:00+01:00', periodEnd: '2027-04-01T00:00:00+02:00',
        // 27 days (March 2027 has four Sundays) of 8 hours.
        openMinutes: 27 * 480, bookedMinutes: 300, usedMinutes: 0, bookings: 2, noShows: 1, cancellations: 1, distinctCollectives: 2,
        occupancyRate: 300 / 12960, utilizationRate: 0,
      });
    });

    it('splits days in local time: a booking across midnight, the 23-hour day, a closed Sunday', async () => {
      const data = await t.gqlOk(occupancyQuery, { from: '2027-03-01T00:00:00+01:00', to: '2027-04-01T00:00:00+02:00', g: 'DAY', r: [allDay, weekdays] }, auditor.token);
      expect(data.occupancy).toHaveLength(62);
      const row = (resourceId: string, day: string) => data.occupancy.find((r: any) => r.resource.id === resourceId && r.periodStart.startsWith(day));
      expect(row(allDay, '2027-03-05')).toMatchObject({ openMinutes: 1440, bookedMinutes: 120, usedMinutes: 120, bookings: 1 });
      expect(row(allDay, '2027-03-06')).toMatchObject({ openMinutes: 1440, bookedMinutes: 120, usedMinutes: 120, bookings: 0 });
      expect(row(allDay, '2027-03-28')).toMatchObject({ periodStart: '2027-03-28T00:00:00+01:00', periodEnd: '2027-03-29T00:00:00+02:00', openMinutes: 1380, bookedMinutes: 120, noShows: 1 });
      expect(row(weekdays, '2027-03-14')).toMatchObject({ openMinutes: 0, occupancyRate: 0, utilizationRate: 0 });
      expect(row(weekdays, '2027-03-10')).toMatchObject({ openMinutes: 480, bookedMinutes: 0, cancellations: 1, bookings: 0 });
      const weeks = await t.gqlOk(occupancyQuery, { from: '2027-03-22T00:00:00+01:00', to: '2027-03-29T00:00:00+02:00', g: 'WEEK', r: [allDay] }, auditor.token);
      expect(weeks.occupancy).toEqual([expect.objectContaining({ periodStart: '2027-03-22T00:00:00+01:00', periodEnd: '2027-03-29T00:00:00+02:00', openMinutes: 7 * 1440 - 60, bookedMinutes: 120 })]);
      const autumn = await t.gqlOk(occupancyQuery, { from: '2027-10-31T00:00:00+02:00', to: '2027-11-01T00:00:00+01:00', g: 'DAY', r: [allDay] }, auditor.token);
      expect(autumn.occupancy[0]).toMatchObject({ openMinutes: 1500 });
    });

    it('gives the same rows as CSV (RFC 4180), ending with the ledger entry it accounts for', async () => {
      const params = new URLSearchParams({ from: '2027-03-01T00:00:00+01:00', to: '2027-04-01T00:00:00+02:00', granularity: 'DAY', resourceIds: `${allDay},${weekdays}` });
      const response = await fetch(`${t.baseUrl}/reports/occupancy.csv?${params}`, { headers: { authorization: `Bearer ${auditor.token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      const text = await response.text();
      const records: string[][] = parse(text, { relax_column_count: false });
      const [header, ...rest] = records;
      expect(header[0]).toBe('resourceId');
      const ledger = rest.pop()!;
      expect(ledger.slice(0, 1)).toEqual(['#ledger']);
      const [head] = await t.sql(`SELECT seq, hash FROM event_log ORDER BY seq DESC LIMIT 1`);
      expect(ledger.slice(1, 3)).toEqual([String(head.seq), head.hash]);

      const graphql = await t.gqlOk(occupancyQuery, { from: '2027-03-01T00:00:00+01:00', to: '2027-04-01T00:00:00+02:00', g: 'DAY', r: [allDay, weekdays] }, auditor.token);
      expect(rest).toHaveLength(graphql.occupancy.length);
      rest.forEach((record, i) => {
        const row = graphql.occupancy[i];
        expect(Object.fromEntries(header.map((h, j) => [h, record[j]]))).toEqual({
          resourceId: row.resource.id, resourceName: row.resource.name, periodStart: row.periodStart, periodEnd: row.periodEnd,
          openMinutes: String(row.openMinutes), bookedMinutes: String(row.bookedMinutes), usedMinutes: String(row.usedMinutes), bookings: String(row.bookings),
          noShows: String(row.noShows), cancellations: String(row.cancellations), distinctCollectives: String(row.distinctCollectives),
          occupancyRate: String(row.occupancyRate), utilizationRate: String(row.utilizationRate),
        });
      });
      expect((await fetch(`${t.baseUrl}/reports/occupancy.csv?${params}`)).status).toBe(401);
      const bad = await fetch(`${t.baseUrl}/reports/occupancy.csv?from=yesterday&to=today`, { headers: { authorization: `Bearer ${auditor.token}` } });
      expect(bad.status).toBe(400);
    });

    it('gives the same rows for Excel on a Belgian computer: BOM, semicolons, decimal comma, wall-clock times', async () => {
      const params = new URLSearchParams({ from: '2027-03-01T00:00:00+01:00', to: '2027-04-01T00:00:00+02:00', granularity: 'DAY', resourceIds: allDay });
      const get = (query: URLSearchParams) => fetch(`${t.baseUrl}/reports/occupancy.csv?${query}`, { headers: { authorization: `Bearer ${auditor.token}` } });
      const standard: string[][] = parse(await (await get(params)).text());
      const response = await get(new URLSearchParams({ ...Object.fromEntries(params), dialect: 'excel' }));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const excel: string[][] = parse(bytes.toString('utf8'), { bom: true, delimiter: ';' });
      expect(excel).toHaveLength(standard.length);
      // Titled in French for the City's staff; the same columns in the same order.
      expect(excel[0]).toEqual([
        'Identifiant de l’espace', 'Espace', 'Début', 'Fin', 'Minutes d’ouverture', 'Minutes réservées', 'Minutes utilisées',
        'Réservations', 'Absences', 'Annulations', 'Collectifs différents', 'Taux d’occupation', 'Taux d’utilisation',
      ]);
      expect(standard[0]).toEqual(OCCUPANCY_COLUMNS);
      expect(excel.at(-1)).toEqual(standard.at(-1));
      const header = standard[0];
      const spring = excel.findIndex((record) => record[header.indexOf('periodStart')] === '2027-03-28 00:00');
      expect(spring).toBeGreaterThan(0);
      expect(Object.fromEntries(header.map((h, j) => [h, excel[spring][j]]))).toMatchObject({
        periodEnd: '2027-03-29 00:00',
        openMinutes: '1380',
        occupancyRate: String(120 / 1380).replace('.', ','),
      });
      expect(standard[spring][header.indexOf('periodStart')]).toBe('2027-03-28T00:00:00+01:00');
      excel.slice(1, -1).forEach((record, i) => {
        for (const column of ['openMinutes', 'bookedMinutes', 'bookings']) expect(record[header.indexOf(column)]).toBe(standard[i + 1][header.indexOf(column)]);
        for (const column of ['occupancyRate', 'utilizationRate']) expect(record[header.indexOf(column)]).toBe(standard[i + 1][header.indexOf(column)].replace('.', ','));
      });

      const attendance = await fetch(`${t.baseUrl}/reports/attendance.csv?${new URLSearchParams({ from: '2027-10-31T00:00:00+02:00', to: '2027-11-01T00:00:00+01:00', dialect: 'excel' })}`, {
        headers: { authorization: `Bearer ${auditor.token}` },
      });
      // text() would drop the byte-order mark: the bytes show it is there.
      expect(Buffer.from(await attendance.arrayBuffer()).toString('utf8')).toBe('\uFEFFDébut;Fin;Personnes (badges différents);Entrées\r\n2027-10-31 00:00;2027-11-01 00:00;0;0\r\n');

      const unknown = await get(new URLSearchParams({ ...Object.fromEntries(params), dialect: 'xlsx' }));
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toMatchObject({ error: 'BAD_USER_INPUT', message: 'dialect is rfc4180 or excel.' });
    });
  });

  describe('attendance', () => {
    it('counts distinct badges and entries, and keeps the counts after retention deletes the events', async () => {
      const badgeA = await t.gqlOk(`mutation($p: ID!) { issueBadge(personId: $p, uid: "0AA10001") { id } }`, { p: a.id }, steward.token);
      await t.gqlOk(`mutation($p: ID!) { issueBadge(personId: $p, uid: "0BB10002") { id } }`, { p: b.id }, steward.token);
      expect(badgeA.issueBadge.id).toBeDefined();
      const enter = async (uid: string, at: string) => {
        clock.set(at);
        const response = await doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid }), timestamp: clock.now().getTime() });
        expect(response.body.decision).toBe(uid === 'FFFF0000' ? 'DENY' : 'ALLOW');
      };
      await enter('0AA10001', '2027-03-29T08:00:00+02:00');
      await enter('0AA10001', '2027-03-29T19:00:00+02:00');
      await enter('0BB10002', '2027-03-29T23:30:00+02:00');
      await enter('FFFF0000', '2027-03-29T23:40:00+02:00');
      await enter('0BB10002', '2027-03-30T09:00:00+02:00');
      const attendance = `query($g: Granularity!) { attendance(from: "2027-03-29T00:00:00+02:00", to: "2027-04-05T00:00:00+02:00", granularity: $g) { periodStart periodEnd uniqueVisitors entries } }`;
      const before = await t.gqlOk(attendance, { g: 'DAY' }, auditor.token);
      expect(before.attendance.slice(0, 2)).toEqual([
        { periodStart: '2027-03-29T00:00:00+02:00', periodEnd: '2027-03-30T00:00:00+02:00', uniqueVisitors: 2, entries: 3 },
        { periodStart: '2027-03-30T00:00:00+02:00', periodEnd: '2027-03-31T00:00:00+02:00', uniqueVisitors: 1, entries: 1 },
      ]);
      const weekBefore = await t.gqlOk(attendance, { g: 'WEEK' }, auditor.token);
      expect(weekBefore.attendance).toEqual([{ periodStart: '2027-03-29T00:00:00+02:00', periodEnd: '2027-04-05T00:00:00+02:00', uniqueVisitors: 2, entries: 4 }]);

      clock.set('2027-06-29T12:00:00+02:00');
      await t.app.get(Scheduler).runNow(ACCESS_RETENTION_JOB);
      const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE at < '2027-03-31T00:00:00+02:00'`);
      expect(n).toBe(0);
      expect(await t.gqlOk(attendance, { g: 'DAY' }, auditor.token)).toEqual(before);
      expect(await t.gqlOk(attendance, { g: 'WEEK' }, auditor.token)).toEqual(weekBefore);

      const csv = await fetch(`${t.baseUrl}/reports/attendance.csv?from=${encodeURIComponent('2027-03-29T00:00:00+02:00')}&to=${encodeURIComponent('2027-04-05T00:00:00+02:00')}&granularity=WEEK`, { headers: { authorization: `Bearer ${auditor.token}` } });
      expect(parse(await csv.text())).toEqual([['periodStart', 'periodEnd', 'uniqueVisitors', 'entries'], ['2027-03-29T00:00:00+02:00', '2027-04-05T00:00:00+02:00', '2', '4']]);
    });
  });

  describe('privacy by role', () => {
    it('refuses auditors everything that names a person, a badge, a door event or a ballot', async () => {
      const range = { from: '2027-03-01T00:00:00+01:00', to: '2027-04-01T00:00:00+02:00' };
      const refused = [
        [`query($id: ID!) { person(id: $id) { id } }`, { id: a.id }],
        [`{ badges { id } }`, {}],
        [`query($from: DateTime!, $to: DateTime!) { accessEvents(from: $from, to: $to) { id } }`, range],
        [`query($id: ID!) { collective(id: $id) { members { id } } }`, { id: a.collectiveId }],
      ] as const;
      for (const [query, variables] of refused) expect(errorCodes(await t.gql(query, variables, auditor.token))).toEqual(['FORBIDDEN']);
      const bookings = await t.gqlOk(`query($from: DateTime!, $to: DateTime!) { bookings(from: $from, to: $to) { id bookedBy { id } collective { name } resource { name } } }`, range, auditor.token);
      expect(bookings.bookings.length).toBeGreaterThan(0);
      expect(bookings.bookings.every((booking: { bookedBy: unknown }) => booking.bookedBy === null)).toBe(true);
      const readable = await t.gqlOk(`{ resources { id } collectives { id name } }`, {}, auditor.token);
      expect(readable.collectives.length).toBeGreaterThan(1);
    });
  });

  describe('the tamper-evident ledger', () => {
    it('`npm run audit:verify` passes on the intact chain and names the entry edited in SQL', async () => {
      const root = join(__dirname, '..');
      const env = { ...process.env, DATABASE_URL: t.databaseUrl };
      const intact = await run('node', ['-r', 'ts-node/register/transpile-only', 'tools/audit-verify.ts'], { cwd: root, env });
      expect(intact.stdout).toMatch(/ledger intact/);
      const [victim] = await t.sql(`SELECT seq FROM event_log WHERE type = 'booking.changed' ORDER BY seq LIMIT 1 OFFSET 2`);
      await t.sql(`ALTER TABLE event_log DISABLE TRIGGER event_log_append_only`);
      await t.sql(`UPDATE event_log SET payload = jsonb_set(payload, '{booking,title}', '"Edited quietly"') WHERE seq = $1`, [victim.seq]);
      await t.sql(`ALTER TABLE event_log ENABLE TRIGGER event_log_append_only`);
      const broken = await run('node', ['-r', 'ts-node/register/transpile-only', 'tools/audit-verify.ts'], { cwd: root, env }).catch((error) => error);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`ledger BROKEN at entry seq ${victim.seq}`);
    });
  });

  describe('personal data', () => {
    it('gives a person everything held about them, and nothing about others', async () => {
      const response = await fetch(`${t.baseUrl}/me/export.json`, { headers: { authorization: `Bearer ${a.token}` } });
      expect(response.status).toBe(200);
      const data: any = await response.json();
      expect(data.profile.id).toBe(a.id);
      expect(data.memberships).toHaveLength(1);
      expect(data.bookingsMade.map((booking: { id: string }) => booking.id).sort()).toEqual([ids.acrossMidnight, ids.cancelled, ids.monthEnd].sort());
      expect(data.badges).toHaveLength(1);
      expect(data.accessEvents).toEqual([]);
      // The ledger's entries of what they did (bookings, a cancellation) and of what was done about them (their badge).
      const logged = await t.sql(`SELECT seq::int AS seq, type FROM event_log WHERE actor_id = $1 OR subject_id = $1 OR subject_id IN (SELECT id FROM badge WHERE person_id = $1) ORDER BY seq`, [a.id]);
      expect(data.activity.map((entry: { seq: string; type: string }) => ({ seq: Number(entry.seq), type: entry.type }))).toEqual(logged);
      expect(data.activity.map((entry: { type: string }) => entry.type)).toEqual(expect.arrayContaining(['booking.changed', 'badge.issued']));
      expect(data.activity.every((entry: object) => !('payload' in entry))).toBe(true);
      expect(JSON.stringify(data)).not.toContain(b.id);
      expect((await fetch(`${t.baseUrl}/me/export.json`)).status).toBe(401);
    });

    it('erases a person who leaves: anonymised, badges gone, door history gone, figures unchanged', async () => {
      const leaver = await house.member(a.collectiveId);
      await t.gqlOk(`mutation($p: ID!) { issueBadge(personId: $p, uid: "0CC10003") { id } }`, { p: leaver.id }, steward.token);
      clock.set('2027-06-30T10:00:00+02:00');
      await doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions', body: '{"badgeUid":"0CC10003"}', timestamp: clock.now().getTime() });
      const attendanceQuery = `{ attendance(from: "2027-06-30T00:00:00+02:00", to: "2027-07-01T00:00:00+02:00", granularity: DAY) { uniqueVisitors entries } }`;
      const attendanceBefore = await t.gqlOk(attendanceQuery, {}, auditor.token);
      const occupancyBefore = await t.gqlOk(occupancyQuery, { from: '2027-03-01T00:00:00+01:00', to: '2027-04-01T00:00:00+02:00', g: 'MONTH', r: [allDay, weekdays] }, auditor.token);

      expect(errorCodes(await t.gql(`mutation($id: ID!) { erasePerson(id: $id) { id } }`, { id: leaver.id }, a.token))).toEqual(['FORBIDDEN']);
      const erased = await t.gqlOk(`mutation($id: ID!) { erasePerson(id: $id) { id displayName email } }`, { id: leaver.id }, steward.token);
      expect(erased.erasePerson).toEqual({ id: leaver.id, displayName: 'Ancien·ne membre', email: null });
      expect(errorCodes(await t.gql(`{ me { id } }`, {}, leaver.token))).toEqual([]);
      expect((await t.gql(`{ collectives { id } }`, {}, leaver.token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(await t.sql(`SELECT status FROM badge WHERE person_id = $1`, [leaver.id])).toEqual([]);
      expect((await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE person_id = $1`, [leaver.id]))[0].n).toBe(0);
      // The old card is now an unknown card: its next tap is not tied to the erased person.
      clock.set('2027-06-30T10:05:00+02:00');
      const tap = await doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions', body: '{"badgeUid":"0CC10003"}', timestamp: clock.now().getTime() });
      expect(tap.body).toMatchObject({ decision: 'DENY', reason: 'UNKNOWN_BADGE' });
      expect((await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE person_id = $1`, [leaver.id]))[0].n).toBe(0);
      expect(await t.gqlOk(attendanceQuery, {}, auditor.token)).toEqual(attendanceBefore);
      expect(await t.gqlOk(occupancyQuery, { from: '2027-03-01T00:00:00+01:00', to: '2027-04-01T00:00:00+02:00', g: 'MONTH', r: [allDay, weekdays] }, auditor.token)).toEqual(occupancyBefore);
    });

    it('lets only an admin erase a steward, an admin or an auditor, and changes nothing otherwise', async () => {
      const admin = await house.admin();
      for (const target of [await house.steward(), await house.admin(), await house.auditor()]) {
        expect(errorCodes(await t.gql(`mutation($id: ID!) { erasePerson(id: $id) { id } }`, { id: target.id }, steward.token))).toEqual(['FORBIDDEN']);
        expect((await t.sql(`SELECT erased_at, roles FROM person WHERE id = $1`, [target.id]))[0].erased_at).toBeNull();
        expect((await t.gqlOk(`mutation($id: ID!) { erasePerson(id: $id) { id roles } }`, { id: target.id }, admin.token)).erasePerson.roles).toEqual(['MEMBER']);
      }
    });
  });
});

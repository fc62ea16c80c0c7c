import { BOOKING_HOUSEKEEPING_JOB } from '../src/bookings/bookings.jobs';
import { Scheduler } from '../src/database/scheduler';
import { TariffTier } from '../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from './support/house';
import { holding, lockWaiters } from './support/lock-waits';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from './support/spaces';
import { ManualClock, TestApp, errorCodes, startTestApp } from './support/test-app';

// A Thursday, a few weeks before the spring DST change in Brussels.
const NOW = '2027-02-25T10:00:00+01:00';

describe('bookings over GraphQL', () => {
  let t: TestApp;
  let clock: ManualClock;
  let house: HouseBuilder;
  let spaces: SpacesBuilder;
  let admin: TestPerson;
  let steward: TestPerson;
  let hygiene: string;
  let kitchen: string;
  let room: string;

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    t = await startTestApp({ clock });
    house = new HouseBuilder(t);
    admin = await house.admin();
    steward = await house.steward();
    spaces = new SpacesBuilder(t, steward.token);
    hygiene = await house.qualification('Hygiène');
    kitchen = await spaces.resource({ kind: 'KITCHEN', bufferMinutes: 30, minMinutes: 60, requiredQualificationId: hygiene });
    room = await spaces.resource({ openingHours: hours(EVERY_DAY, '08:00', '22:00') });
  });
  afterAll(() => t.close());
  beforeEach(() => clock.set(NOW));

  /** A member of a new collective, holding the kitchen's hygiene qualification. */
  async function cook(tier = TariffTier.STANDARD): Promise<TestPerson & { collectiveId: string }> {
    const collective = await house.collective({ tariffTier: tier });
    const member = await house.member(collective.id);
    await house.grant(member.id, hygiene);
    return member;
  }

  const book = (token: string, input: Record<string, unknown>) => t.gql(BOOK, { input }, token);
  const counts = () => t.sql(`SELECT (SELECT count(*) FROM booking)::int AS bookings, (SELECT count(*) FROM event_log)::int AS events`);

  describe('no double booking', () => {
    it('lets exactly one of 50 concurrent requests for one slot win; the others get CONFLICT', async () => {
      const cooks = await Promise.all(Array.from({ length: 50 }, () => cook()));
      const slot = { resourceId: kitchen, startsAt: '2027-03-03T10:00:00+01:00', endsAt: '2027-03-03T12:00:00+01:00' };
      const responses = await Promise.all(cooks.map((c, i) => book(c.token, { ...slot, collectiveId: c.collectiveId, title: `Cooking ${i}` })));
      const winners = responses.filter((r) => !r.errors);
      const losers = responses.filter((r) => r.errors);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(49);
      for (const loser of losers) {
        expect(errorCodes(loser)).toEqual(['CONFLICT']);
        expect(loser.errors![0].extensions!.conflicts).toEqual([{ startsAt: '2027-03-03T10:00:00+01:00', endsAt: '2027-03-03T12:00:00+01:00' }]);
      }
      const active = await t.sql(`SELECT count(*)::int AS n FROM booking WHERE resource_id = $1 AND status IN ('PENDING','CONFIRMED','CHECKED_IN') AND starts_at = '2027-03-03T09:00:00Z'`, [kitchen]);
      expect(active[0].n).toBe(1);
    });

    it('is guaranteed by a named PostgreSQL exclusion constraint, not only by the code', async () => {
      const c = await cook();
      const ok = await book(c.token, { resourceId: kitchen, collectiveId: c.collectiveId, title: 'First', startsAt: '2027-03-04T10:00:00+01:00', endsAt: '2027-03-04T11:00:00+01:00' });
      expect(ok.errors).toBeUndefined();
      await expect(
        t.sql(
          `INSERT INTO booking (resource_id, collective_id, title, starts_at, ends_at, buffer_minutes, status, price_cents)
           VALUES ($1, $2, 'Sneaked in', '2027-03-04T10:30:00+01:00', '2027-03-04T11:30:00+01:00', 30, 'CONFIRMED', 0)`,
          [kitchen, c.collectiveId],
        ),
      ).rejects.toThrow(/booking_no_overlap/);
    });

    it('keeps the buffer free after each booking, and allows back-to-back without buffer', async () => {
      const [a, b] = [await cook(), await cook()];
      const day = '2027-03-05';
      expect((await book(a.token, { resourceId: kitchen, collectiveId: a.collectiveId, title: 'A', startsAt: `${day}T10:00:00+01:00`, endsAt: `${day}T12:00:00+01:00` })).errors).toBeUndefined();
      const rightAfter = await book(b.token, { resourceId: kitchen, collectiveId: b.collectiveId, title: 'B', startsAt: `${day}T12:00:00+01:00`, endsAt: `${day}T13:00:00+01:00` });
      expect(errorCodes(rightAfter)).toEqual(['CONFLICT']);
      const rightBefore = await book(b.token, { resourceId: kitchen, collectiveId: b.collectiveId, title: 'B', startsAt: `${day}T08:30:00+01:00`, endsAt: `${day}T10:00:00+01:00` });
      expect(errorCodes(rightBefore)).toEqual(['CONFLICT']);
      const afterCleaning = await book(b.token, { resourceId: kitchen, collectiveId: b.collectiveId, title: 'B', startsAt: `${day}T12:30:00+01:00`, endsAt: `${day}T13:30:00+01:00` });
      expect(afterCleaning.errors).toBeUndefined();
      const beforeWithCleaning = await book(b.token, { resourceId: kitchen, collectiveId: b.collectiveId, title: 'B', startsAt: `${day}T08:00:00+01:00`, endsAt: `${day}T09:30:00+01:00` });
      expect(beforeWithCleaning.errors).toBeUndefined();

      const [x, y] = [await house.member(), await house.member()];
      expect((await book(x.token, { resourceId: room, collectiveId: x.collectiveId, title: 'X', startsAt: `${day}T10:00:00+01:00`, endsAt: `${day}T12:00:00+01:00` })).errors).toBeUndefined();
      expect((await book(y.token, { resourceId: room, collectiveId: y.collectiveId, title: 'Y', startsAt: `${day}T12:00:00+01:00`, endsAt: `${day}T13:00:00+01:00` })).errors).toBeUndefined();
    });
  });

  describe('recurring bookings', () => {
    it('keeps "Tuesdays 18:00-21:00" at 18:00 local across the DST change of 28 March 2027', async () => {
      const member = await house.member();
      const response = await book(member.token, {
        resourceId: room, collectiveId: member.collectiveId, title: 'Weekly workshop',
        startsAt: '2027-03-02T18:00:00+01:00', endsAt: '2027-03-02T21:00:00+01:00', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=8',
      });
      expect(response.errors).toBeUndefined();
      const series = response.data.book;
      expect(series).toHaveLength(8);
      expect(new Set(series.map((b: { seriesId: string }) => b.seriesId)).size).toBe(1);
      const utcStarts = series.map((b: { startsAt: string }) => new Date(b.startsAt).toISOString());
      expect(utcStarts).toEqual([
        '2027-03-02T17:00:00.000Z', '2027-03-09T17:00:00.000Z', '2027-03-16T17:00:00.000Z', '2027-03-23T17:00:00.000Z',
        '2027-03-30T16:00:00.000Z', '2027-04-06T16:00:00.000Z', '2027-04-13T16:00:00.000Z', '2027-04-20T16:00:00.000Z',
      ]);
      expect(series.map((b: { startsAt: string }) => b.startsAt.slice(11))).toEqual([...Array(4).fill('18:00:00+01:00'), ...Array(4).fill('18:00:00+02:00')]);
      expect(series.map((b: { endsAt: string }) => b.endsAt.slice(11, 16))).toEqual(Array(8).fill('21:00'));
    });

    it('fails the whole series when one occurrence is taken, listing it, and creates nothing', async () => {
      const [other, member] = [await house.member(), await house.member()];
      const resource = await spaces.resource({ openingHours: hours(EVERY_DAY, '08:00', '22:00') });
      expect((await book(other.token, { resourceId: resource, collectiveId: other.collectiveId, title: 'Taken', startsAt: '2027-03-23T19:00:00+01:00', endsAt: '2027-03-23T20:00:00+01:00' })).errors).toBeUndefined();
      expect((await book(other.token, { resourceId: resource, collectiveId: other.collectiveId, title: 'Taken too', startsAt: '2027-04-13T17:30:00+02:00', endsAt: '2027-04-13T18:30:00+02:00' })).errors).toBeUndefined();
      const before = await counts();
      const response = await book(member.token, {
        resourceId: resource, collectiveId: member.collectiveId, title: 'Weekly workshop',
        startsAt: '2027-03-02T18:00:00+01:00', endsAt: '2027-03-02T21:00:00+01:00', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=8',
      });
      expect(errorCodes(response)).toEqual(['CONFLICT']);
      expect(response.errors![0].extensions!.conflicts).toEqual([
        { startsAt: '2027-03-23T18:00:00+01:00', endsAt: '2027-03-23T21:00:00+01:00' },
        { startsAt: '2027-04-13T18:00:00+02:00', endsAt: '2027-04-13T21:00:00+02:00' },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('books the rest of a series as one when the taken occurrences CONFLICT listed are left out, across the DST change', async () => {
      const [other, member] = [await house.member(), await house.member()];
      const resource = await spaces.resource({ openingHours: hours(EVERY_DAY, '08:00', '22:00') });
      await book(other.token, { resourceId: resource, collectiveId: other.collectiveId, title: 'Taken', startsAt: '2027-03-23T19:00:00+01:00', endsAt: '2027-03-23T20:00:00+01:00' });
      await book(other.token, { resourceId: resource, collectiveId: other.collectiveId, title: 'Taken too', startsAt: '2027-04-13T17:30:00+02:00', endsAt: '2027-04-13T18:30:00+02:00' });
      const series = { resourceId: resource, collectiveId: member.collectiveId, title: 'Weekly workshop', startsAt: '2027-03-02T18:00:00+01:00', endsAt: '2027-03-02T21:00:00+01:00', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=8' };
      const refused = await book(member.token, series);
      const taken = refused.errors![0].extensions!.conflicts as Array<{ startsAt: string }>;

      const response = await book(member.token, { ...series, skipOccurrences: taken.map((c) => c.startsAt) });
      expect(response.errors).toBeUndefined();
      const booked = response.data.book as Array<{ startsAt: string; seriesId: string; priceCents: number }>;
      expect(booked.map((b) => b.startsAt)).toEqual([
        '2027-03-02T18:00:00+01:00', '2027-03-09T18:00:00+01:00', '2027-03-16T18:00:00+01:00',
        '2027-03-30T18:00:00+02:00', '2027-04-06T18:00:00+02:00', '2027-04-20T18:00:00+02:00',
      ]);
      expect(new Set(booked.map((b) => b.seriesId)).size).toBe(1);
      // The same instant written in UTC is the same occurrence.
      const again = await book(member.token, { ...series, title: 'Twice', startsAt: '2027-04-27T18:00:00+02:00', endsAt: '2027-04-27T21:00:00+02:00', rrule: 'FREQ=WEEKLY;COUNT=2', skipOccurrences: ['2027-05-04T16:00:00Z'] });
      expect(again.errors).toBeUndefined();
      expect(again.data.book.map((b: { startsAt: string }) => b.startsAt)).toEqual(['2027-04-27T18:00:00+02:00']);
    });

    it('refuses to leave out what is not an occurrence, every occurrence, or part of a single booking, and writes nothing', async () => {
      const member = await house.member();
      const resource = await spaces.resource({ openingHours: hours(EVERY_DAY, '08:00', '22:00') });
      const series = { resourceId: resource, collectiveId: member.collectiveId, title: 'Weekly', startsAt: '2027-03-02T18:00:00+01:00', endsAt: '2027-03-02T21:00:00+01:00', rrule: 'FREQ=WEEKLY;COUNT=2' };
      const before = await counts();
      for (const [input, message] of [
        [{ ...series, skipOccurrences: ['2027-03-09T19:00:00+01:00'] }, '2027-03-09T19:00:00+01:00 is not the start of an occurrence of this series.'],
        [{ ...series, skipOccurrences: ['2027-03-02T18:00:00+01:00', '2027-03-09T18:00:00+01:00'] }, 'Every occurrence of this series is left out: there is nothing to book.'],
        [{ ...series, rrule: undefined, skipOccurrences: ['2027-03-02T18:00:00+01:00'] }, 'Only the occurrences of a recurring booking (rrule) can be left out.'],
      ] as const) {
        const response = await book(member.token, input);
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors![0]).toMatchObject({ message, extensions: { field: 'skipOccurrences' } });
      }
      expect(await counts()).toEqual(before);
      // Nothing to leave out is no series either way: a single booking stays single.
      const single = await book(member.token, { ...series, rrule: undefined, skipOccurrences: [] });
      expect(single.data.book).toEqual([expect.objectContaining({ seriesId: null })]);
    });

    it('moves an occurrence in the spring-forward gap forward by the gap', async () => {
      const member = await house.member();
      const coworking = await spaces.resource({ openingHours: hours(EVERY_DAY, '00:00', '24:00'), slotMinutes: 30, minMinutes: 60 });
      const response = await book(member.token, {
        resourceId: coworking, collectiveId: member.collectiveId, title: 'Night shift',
        startsAt: '2027-03-27T02:30:00+01:00', endsAt: '2027-03-27T03:30:00+01:00', rrule: 'FREQ=DAILY;COUNT=3',
      });
      expect(response.errors).toBeUndefined();
      expect(response.data.book.map((b: { startsAt: string; endsAt: string }) => [b.startsAt, b.endsAt])).toEqual([
        ['2027-03-27T02:30:00+01:00', '2027-03-27T03:30:00+01:00'],
        ['2027-03-28T03:30:00+02:00', '2027-03-28T04:30:00+02:00'],
        ['2027-03-29T02:30:00+02:00', '2027-03-29T03:30:00+02:00'],
      ]);
    });
  });

  describe('the pooled weekly quota', () => {
    it('gives exactly 4 of 6 concurrent one-hour bookings under a 240-minute quota, shared by the collective', async () => {
      const resource = await spaces.resource({ openingHours: hours(EVERY_DAY, '08:00', '22:00') });
      await t.gqlOk(`mutation($r: ID!) { setHouseRule(key: WEEKLY_QUOTA_MINUTES, resourceId: $r, value: 240) { value } }`, { r: resource }, admin.token);
      const collective = await house.collective();
      const [m1, m2] = [await house.member(collective.id), await house.member(collective.id)];
      const slots = ['2027-03-08', '2027-03-09', '2027-03-10', '2027-03-11', '2027-03-12', '2027-03-13'];
      const responses = await Promise.all(
        slots.map((day, i) => book((i % 2 ? m2 : m1).token, { resourceId: resource, collectiveId: collective.id, title: `Session ${i}`, startsAt: `${day}T10:00:00+01:00`, endsAt: `${day}T11:00:00+01:00` })),
      );
      const codes = responses.map((r) => errorCodes(r)[0] ?? 'OK').sort();
      expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
      const [{ minutes }] = await t.sql(`SELECT sum(extract(epoch FROM ends_at - starts_at) / 60)::int AS minutes FROM booking WHERE collective_id = $1 AND status = 'CONFIRMED'`, [collective.id]);
      expect(minutes).toBe(240);

      // The next week starts on Monday 00:00 local, with a fresh quota; another collective has its own.
      const nextWeek = await book(m1.token, { resourceId: resource, collectiveId: collective.id, title: 'Next week', startsAt: '2027-03-15T10:00:00+01:00', endsAt: '2027-03-15T14:00:00+01:00' });
      expect(nextWeek.errors).toBeUndefined();
      const other = await house.member();
      expect((await book(other.token, { resourceId: resource, collectiveId: other.collectiveId, title: 'Other', startsAt: '2027-03-08T14:00:00+01:00', endsAt: '2027-03-08T18:00:00+01:00' })).errors).toBeUndefined();
    });

    it('is one quota however the ids are written: capitals name the same resource and collective', async () => {
      const resource = await spaces.resource({ openingHours: hours(EVERY_DAY, '08:00', '22:00') });
      await t.gqlOk(`mutation($r: ID!) { setHouseRule(key: WEEKLY_QUOTA_MINUTES, resourceId: $r, value: 60) { value } }`, { r: resource }, admin.token);
      const member = await house.member();
      // Both writers wait at their INSERT (or at the quota lock) until both are queued: two
      // requests that took different locks would both have read an empty week by then.
      const gate = await holding(t, 'LOCK TABLE booking IN SHARE MODE');
      const pending = Promise.all(
        [
          { resourceId: resource, collectiveId: member.collectiveId, startsAt: '2027-03-08T10:00:00+01:00', endsAt: '2027-03-08T11:00:00+01:00' },
          { resourceId: resource.toUpperCase(), collectiveId: member.collectiveId.toUpperCase(), startsAt: '2027-03-09T10:00:00+01:00', endsAt: '2027-03-09T11:00:00+01:00' },
        ].map((input) => book(member.token, { ...input, title: 'Session' })),
      );
      await lockWaiters(t, 2);
      await gate.release();
      const codes = (await pending).map((r) => errorCodes(r)[0] ?? 'OK').sort();
      expect(codes).toEqual(['OK', 'QUOTA_EXCEEDED']);
    });
  });

  describe('refusals write nothing', () => {
    it('answers each invalid request with its code', async () => {
      const member = await house.member();
      const outsider = await house.member();
      const qualified = await cook();
      const base = { resourceId: room, collectiveId: member.collectiveId, title: 'Test', startsAt: '2027-03-10T10:00:00+01:00', endsAt: '2027-03-10T11:00:00+01:00' };
      const before = await counts();
      const cases: Array<[string, string, Record<string, unknown>]> = [
        ['QUALIFICATION_REQUIRED', member.token, { ...base, resourceId: kitchen }],
        ['OUTSIDE_OPENING_HOURS', member.token, { ...base, startsAt: '2027-03-10T21:30:00+01:00', endsAt: '2027-03-10T22:30:00+01:00' }],
        ['OUTSIDE_OPENING_HOURS', member.token, { ...base, startsAt: '2027-03-10T07:00:00+01:00', endsAt: '2027-03-10T09:00:00+01:00' }],
        ['BAD_USER_INPUT', member.token, { ...base, startsAt: '2027-03-10T10:15:00+01:00', endsAt: '2027-03-10T11:15:00+01:00' }],
        ['BAD_USER_INPUT', member.token, { ...base, startsAt: '2027-03-10T11:00:00+01:00', endsAt: '2027-03-10T10:00:00+01:00' }],
        ['BAD_USER_INPUT', member.token, { ...base, rrule: 'FREQ=WEEKLY;UNTIL=20370310T000000Z' }],
        ['BAD_USER_INPUT', member.token, { ...base, rrule: 'FREQ=WEEKLY;COUNT=520' }],
        ['BAD_USER_INPUT', member.token, { ...base, rrule: 'FREQ=WEEKLY' }],
        ['BAD_USER_INPUT', member.token, { ...base, rrule: 'FREQ=HOURLY;COUNT=3' }],
        ['BAD_USER_INPUT', member.token, { ...base, startsAt: '2027-02-24T10:00:00+01:00', endsAt: '2027-02-24T11:00:00+01:00' }],
        ['BAD_USER_INPUT', member.token, { ...base, startsAt: '2027-03-10T10:00:00+01:00', endsAt: '2027-03-10T18:30:00+01:00' }],
        ['BAD_USER_INPUT', member.token, { ...base, startsAt: '2027-06-10T10:00:00+02:00', endsAt: '2027-06-10T11:00:00+02:00' }],
        ['BAD_USER_INPUT', member.token, { ...base, startsAt: '2027-03-10T10:00:00' }],
        ['BAD_USER_INPUT', member.token, { ...base, title: 'x'.repeat(121) }],
        ['BAD_USER_INPUT', member.token, { ...base, attendees: 11 }],
        ['FORBIDDEN', outsider.token, base],
        ['NOT_FOUND', member.token, { ...base, resourceId: '00000000-0000-4000-8000-000000000000' }],
        ['BAD_USER_INPUT', qualified.token, { ...base, resourceId: kitchen, collectiveId: qualified.collectiveId, startsAt: '2027-03-10T10:00:00+01:00', endsAt: '2027-03-10T10:30:00+01:00' }],
      ];
      for (const [code, token, input] of cases) {
        const response = await book(token, input);
        expect({ input, codes: errorCodes(response) }).toEqual({ input, codes: [code] });
        expect(response.errors![0].message).not.toMatch(/SQL|select|insert|stack/i);
      }
      expect(await counts()).toEqual(before);
    });

    it('exempts stewards from MAX_ADVANCE_DAYS, not members', async () => {
      const member = await house.member();
      const far = { resourceId: room, collectiveId: member.collectiveId, title: 'Far', startsAt: '2027-07-01T10:00:00+02:00', endsAt: '2027-07-01T11:00:00+02:00' };
      expect(errorCodes(await book(member.token, far))).toEqual(['BAD_USER_INPUT']);
      expect((await book(steward.token, far)).errors).toBeUndefined();
    });

    it('is refused to auditors even for a collective', async () => {
      const auditor = await house.auditor();
      const c = await house.collective();
      expect(errorCodes(await book(auditor.token, { resourceId: room, collectiveId: c.id, title: 'X', startsAt: '2027-03-10T10:00:00+01:00', endsAt: '2027-03-10T11:00:00+01:00' }))).toEqual(['FORBIDDEN']);
    });
  });

  describe('opening hours', () => {
    it('allows a booking across midnight only where the resource is open on both days', async () => {
      const member = await house.member();
      const nightOwl = await spaces.resource({ openingHours: [{ weekday: 1, opens: '18:00', closes: '24:00' }, { weekday: 2, opens: '00:00', closes: '02:00' }] });
      const across = await book(member.token, { resourceId: nightOwl, collectiveId: member.collectiveId, title: 'Late', startsAt: '2027-03-08T23:00:00+01:00', endsAt: '2027-03-09T01:00:00+01:00' });
      expect(across.errors).toBeUndefined();
      const tooLate = await book(member.token, { resourceId: nightOwl, collectiveId: member.collectiveId, title: 'Late', startsAt: '2027-03-09T01:00:00+01:00', endsAt: '2027-03-09T03:00:00+01:00' });
      expect(errorCodes(tooLate)).toEqual(['OUTSIDE_OPENING_HOURS']);
    });
  });

  describe('price, approval, cancellation, check-in', () => {
    it('fixes the price at booking time from the collective tier', async () => {
      const solidarity = await cook(TariffTier.SOLIDARITY);
      const standard = await cook(TariffTier.STANDARD);
      const free = await book(solidarity.token, { resourceId: kitchen, collectiveId: solidarity.collectiveId, title: 'Free', startsAt: '2027-03-11T08:00:00+01:00', endsAt: '2027-03-11T10:00:00+01:00' });
      const paid = await book(standard.token, { resourceId: kitchen, collectiveId: standard.collectiveId, title: 'Paid', startsAt: '2027-03-11T14:00:00+01:00', endsAt: '2027-03-11T16:30:00+01:00' });
      expect(free.data.book[0].priceCents).toBe(0);
      expect(paid.data.book[0].priceCents).toBe(3000);
    });

    it('holds the slot while a booking waits for approval; a steward approves it', async () => {
      const laser = await spaces.resource({ kind: 'WORKSHOP', requiresApproval: true });
      const [a, b] = [await house.member(), await house.member()];
      const slot = { resourceId: laser, title: 'Cut', startsAt: '2027-03-12T10:00:00+01:00', endsAt: '2027-03-12T11:00:00+01:00' };
      const pending = await book(a.token, { ...slot, collectiveId: a.collectiveId });
      expect(pending.data.book[0].status).toBe('PENDING');
      expect(errorCodes(await book(b.token, { ...slot, collectiveId: b.collectiveId }))).toEqual(['CONFLICT']);
      const approve = `mutation($id: ID!) { approveBooking(id: $id) { status } }`;
      expect(errorCodes(await t.gql(approve, { id: pending.data.book[0].id }, a.token))).toEqual(['FORBIDDEN']);
      expect((await t.gqlOk(approve, { id: pending.data.book[0].id }, steward.token)).approveBooking.status).toBe('CONFIRMED');
      expect(errorCodes(await t.gql(approve, { id: pending.data.book[0].id }, steward.token))).toEqual(['INVALID_STATE']);
    });

    it('cancels one occurrence or the rest of a series, frees the slots, and respects the notice', async () => {
      const member = await house.member();
      const other = await house.member();
      const series = await book(member.token, { resourceId: room, collectiveId: member.collectiveId, title: 'Series', startsAt: '2027-03-01T08:00:00+01:00', endsAt: '2027-03-01T09:00:00+01:00', rrule: 'FREQ=WEEKLY;COUNT=4' });
      const ids = series.data.book.map((b: { id: string }) => b.id);
      const cancel = `mutation($id: ID!, $all: Boolean) { cancelBooking(id: $id, wholeSeries: $all) { id status } }`;
      const one = await t.gqlOk(cancel, { id: ids[1] }, member.token);
      expect(one.cancelBooking).toEqual([{ id: ids[1], status: 'CANCELLED' }]);
      expect(errorCodes(await t.gql(cancel, { id: ids[1] }, member.token))).toEqual(['INVALID_STATE']);
      expect(errorCodes(await t.gql(cancel, { id: ids[2] }, other.token))).toEqual(['FORBIDDEN']);
      const freed = await book(other.token, { resourceId: room, collectiveId: other.collectiveId, title: 'Freed', startsAt: '2027-03-08T08:00:00+01:00', endsAt: '2027-03-08T09:00:00+01:00' });
      expect(freed.errors).toBeUndefined();

      clock.set('2027-03-01T07:30:00+01:00');
      expect(errorCodes(await t.gql(cancel, { id: ids[0] }, member.token))).toEqual(['INVALID_STATE']);
      const rest = await t.gqlOk(cancel, { id: ids[2], all: true }, member.token);
      expect(rest.cancelBooking.map((b: { id: string }) => b.id).sort()).toEqual([ids[2], ids[3]].sort());
      const [first] = await t.sql(`SELECT status FROM booking WHERE id = $1`, [ids[0]]);
      expect(first.status).toBe('CONFIRMED');
    });

    it('cancels the rest of a series from any of its occurrences, a past one too, and says why a started one cannot be', async () => {
      const member = await house.member();
      const series = await book(member.token, { resourceId: room, collectiveId: member.collectiveId, title: 'Weekly', startsAt: '2027-03-02T08:00:00+01:00', endsAt: '2027-03-02T09:00:00+01:00', rrule: 'FREQ=WEEKLY;COUNT=3' });
      const ids = series.data.book.map((b: { id: string }) => b.id);
      const cancel = `mutation($id: ID!, $all: Boolean) { cancelBooking(id: $id, wholeSeries: $all) { id status } }`;
      clock.set('2027-03-02T08:30:00+01:00');
      const started = await t.gql(cancel, { id: ids[0] }, steward.token);
      expect(errorCodes(started)).toEqual(['INVALID_STATE']);
      expect(started.errors![0].message).toMatch(/already started/);
      // The first occurrence, tapped in the list after it started: the others go.
      const rest = await t.gqlOk(cancel, { id: ids[0], all: true }, member.token);
      expect(rest.cancelBooking.map((b: { id: string }) => b.id).sort()).toEqual([ids[1], ids[2]].sort());
      expect(errorCodes(await t.gql(cancel, { id: ids[0], all: true }, member.token))).toEqual(['INVALID_STATE']);
      expect((await t.sql(`SELECT status FROM booking WHERE id = $1`, [ids[0]]))[0].status).toBe('CONFIRMED');
    });

    it('checks in from the grace time before the start until the end', async () => {
      const member = await house.member();
      const created = await book(member.token, { resourceId: room, collectiveId: member.collectiveId, title: 'Check', startsAt: '2027-03-02T10:00:00+01:00', endsAt: '2027-03-02T11:00:00+01:00' });
      const id = created.data.book[0].id;
      const checkIn = `mutation($id: ID!) { checkIn(bookingId: $id) { status checkedInAt } }`;
      clock.set('2027-03-02T09:44:00+01:00');
      expect(errorCodes(await t.gql(checkIn, { id }, member.token))).toEqual(['INVALID_STATE']);
      clock.set('2027-03-02T09:45:00+01:00');
      const done = await t.gqlOk(checkIn, { id }, member.token);
      expect(done.checkIn).toEqual({ status: 'CHECKED_IN', checkedInAt: '2027-03-02T09:45:00+01:00' });
    });
  });

  describe('no-shows', () => {
    it('releases a booking not checked in NO_SHOW_RELEASE_MINUTES after its start, freeing the slot', async () => {
      const [a, b] = [await house.member(), await house.member()];
      const created = await book(a.token, { resourceId: room, collectiveId: a.collectiveId, title: 'Forgotten', startsAt: '2027-03-03T14:00:00+01:00', endsAt: '2027-03-03T17:00:00+01:00' });
      const id = created.data.book[0].id;
      const scheduler = t.app.get(Scheduler);
      clock.set('2027-03-03T14:29:00+01:00');
      await scheduler.runNow(BOOKING_HOUSEKEEPING_JOB);
      expect((await t.sql(`SELECT status FROM booking WHERE id = $1`, [id]))[0].status).toBe('CONFIRMED');
      clock.set('2027-03-03T14:30:00+01:00');
      await scheduler.runNow(BOOKING_HOUSEKEEPING_JOB);
      expect((await t.sql(`SELECT status FROM booking WHERE id = $1`, [id]))[0].status).toBe('NO_SHOW');
      const taken = await book(b.token, { resourceId: room, collectiveId: b.collectiveId, title: 'Walk-in', startsAt: '2027-03-03T15:00:00+01:00', endsAt: '2027-03-03T17:00:00+01:00' });
      expect(taken.errors).toBeUndefined();
      const events = await t.sql(`SELECT payload->>'change' AS change FROM event_log WHERE subject_id = $1 ORDER BY seq`, [id]);
      expect(events.map((e) => e.change)).toEqual(['created', 'no_show']);
    });

    it('completes a checked-in booking once the door grace after its end has passed, the per-resource grace first', async () => {
      const a = await house.member();
      await t.gqlOk(`mutation($r: ID!) { setHouseRule(key: ACCESS_GRACE_MINUTES, resourceId: $r, value: 20) { value } }`, { r: room }, admin.token);
      const created = await book(a.token, { resourceId: room, collectiveId: a.collectiveId, title: 'Done', startsAt: '2027-03-05T14:00:00+01:00', endsAt: '2027-03-05T15:00:00+01:00' });
      const id = created.data.book[0].id;
      clock.set('2027-03-05T14:10:00+01:00');
      await t.gqlOk(`mutation($id: ID!) { checkIn(bookingId: $id) { status } }`, { id }, a.token);
      const status = async () => (await t.sql(`SELECT status FROM booking WHERE id = $1`, [id]))[0].status;
      // The group may come back in until 15:20 (rule 5 of the door's decision): still checked in.
      clock.set('2027-03-05T15:19:00+01:00');
      await t.app.get(Scheduler).runNow(BOOKING_HOUSEKEEPING_JOB);
      expect(await status()).toBe('CHECKED_IN');
      clock.set('2027-03-05T15:20:00+01:00');
      await t.app.get(Scheduler).runNow(BOOKING_HOUSEKEEPING_JOB);
      expect(await status()).toBe('COMPLETED');
      await t.gqlOk(`mutation($r: ID!) { setHouseRule(key: ACCESS_GRACE_MINUTES, resourceId: $r, value: 15) { value } }`, { r: room }, admin.token);
    });

    it('runs once when two instances race for the job', async () => {
      const a = await house.member();
      const created = await book(a.token, { resourceId: room, collectiveId: a.collectiveId, title: 'Race', startsAt: '2027-03-04T14:00:00+01:00', endsAt: '2027-03-04T15:00:00+01:00' });
      const id = created.data.book[0].id;
      const second = await startTestApp({ clock, databaseUrl: t.databaseUrl });
      try {
        clock.set('2027-03-04T15:00:00+01:00');
        await Promise.all([t.app.get(Scheduler).runNow(BOOKING_HOUSEKEEPING_JOB), second.app.get(Scheduler).runNow(BOOKING_HOUSEKEEPING_JOB)]);
        const events = await t.sql(`SELECT payload->>'change' AS change FROM event_log WHERE subject_id = $1 ORDER BY seq`, [id]);
        expect(events.map((e) => e.change)).toEqual(['created', 'no_show']);
      } finally {
        await second.close();
      }
    });
  });

  describe('availability', () => {
    const availability = `query($r: ID!, $from: DateTime!, $to: DateTime!) { availability(resourceId: $r, from: $from, to: $to) { startsAt endsAt } }`;

    it('returns exactly the free intervals, keeping the buffers', async () => {
      const c = await cook();
      const resource = await spaces.resource({ kind: 'KITCHEN', bufferMinutes: 30, minMinutes: 60 });
      await book(c.token, { resourceId: resource, collectiveId: c.collectiveId, title: 'Lunch', startsAt: '2027-03-10T10:00:00+01:00', endsAt: '2027-03-10T12:00:00+01:00' });
      await book(c.token, { resourceId: resource, collectiveId: c.collectiveId, title: 'Dinner', startsAt: '2027-03-10T17:00:00+01:00', endsAt: '2027-03-10T18:00:00+01:00' });
      const free = await t.gqlOk(availability, { r: resource, from: '2027-03-10T00:00:00+01:00', to: '2027-03-11T00:00:00+01:00' }, c.token);
      expect(free.availability).toEqual([
        { startsAt: '2027-03-10T07:00:00+01:00', endsAt: '2027-03-10T09:30:00+01:00' },
        { startsAt: '2027-03-10T12:30:00+01:00', endsAt: '2027-03-10T16:30:00+01:00' },
        { startsAt: '2027-03-10T18:30:00+01:00', endsAt: '2027-03-10T23:00:00+01:00' },
      ]);
    });

    it('is right on the 23-hour day of 28 March 2027 and the 25-hour day of 31 October 2027', async () => {
      const member = await house.member();
      const coworking = await spaces.resource({ openingHours: hours(EVERY_DAY, '00:00', '24:00'), minMinutes: 60 });
      await book(steward.token, { resourceId: coworking, collectiveId: member.collectiveId, title: 'Night', startsAt: '2027-03-28T01:00:00+01:00', endsAt: '2027-03-28T04:00:00+02:00' });
      const spring = await t.gqlOk(availability, { r: coworking, from: '2027-03-28T00:00:00+01:00', to: '2027-03-29T00:00:00+02:00' }, steward.token);
      expect(spring.availability).toEqual([
        { startsAt: '2027-03-28T00:00:00+01:00', endsAt: '2027-03-28T01:00:00+01:00' },
        { startsAt: '2027-03-28T04:00:00+02:00', endsAt: '2027-03-29T00:00:00+02:00' },
      ]);
      const roomOnAutumnDay = await t.gqlOk(availability, { r: room, from: '2027-10-31T00:00:00+02:00', to: '2027-11-01T00:00:00+01:00' }, steward.token);
      expect(roomOnAutumnDay.availability).toEqual([{ startsAt: '2027-10-31T08:00:00+01:00', endsAt: '2027-10-31T22:00:00+01:00' }]);
      const autumn24h = await t.gqlOk(availability, { r: coworking, from: '2027-10-31T00:00:00+02:00', to: '2027-11-01T00:00:00+01:00' }, steward.token);
      expect(autumn24h.availability).toEqual([{ startsAt: '2027-10-31T00:00:00+02:00', endsAt: '2027-11-01T00:00:00+01:00' }]);
      expect((new Date('2027-11-01T00:00:00+01:00').getTime() - new Date('2027-10-31T00:00:00+02:00').getTime()) / 3_600_000).toBe(25);
    });

    it('counts a booking\'s length, its quota and its grid on the wall clock, so a whole day or week books on DST days too', async () => {
      const member = await house.member();
      // Lockers are booked by whole local days, up to a month.
      const locker = await spaces.resource({ kind: 'STORAGE', openingHours: hours(EVERY_DAY, '00:00', '24:00'), slotMinutes: 1440, minMinutes: 1440, maxMinutes: 44640 });
      const free = await t.gqlOk(availability, { r: locker, from: '2027-03-28T00:00:00+01:00', to: '2027-03-29T00:00:00+02:00' }, steward.token);
      expect(free.availability).toEqual([{ startsAt: '2027-03-28T00:00:00+01:00', endsAt: '2027-03-29T00:00:00+02:00' }]);
      const springDay = await book(steward.token, { resourceId: locker, collectiveId: member.collectiveId, title: 'Jour court', startsAt: '2027-03-28T00:00:00+01:00', endsAt: '2027-03-29T00:00:00+02:00' });
      expect(springDay.errors).toBeUndefined();
      const october = await book(steward.token, { resourceId: locker, collectiveId: member.collectiveId, title: 'Octobre', startsAt: '2027-10-01T00:00:00+02:00', endsAt: '2027-11-01T00:00:00+01:00' });
      expect(october.errors).toBeUndefined();
      // The founding quota (10080 minutes, a whole week) holds a whole 25-hour-day week.
      const otherLocker = await spaces.resource({ kind: 'STORAGE', openingHours: hours(EVERY_DAY, '00:00', '24:00'), slotMinutes: 1440, minMinutes: 1440, maxMinutes: 44640 });
      await t.gqlOk(`mutation($r: ID!) { setHouseRule(key: WEEKLY_QUOTA_MINUTES, resourceId: $r, value: 10080) { value } }`, { r: otherLocker }, admin.token);
      const autumnWeek = await book(steward.token, { resourceId: otherLocker, collectiveId: member.collectiveId, title: 'Semaine', startsAt: '2027-10-25T00:00:00+02:00', endsAt: '2027-11-01T00:00:00+01:00' });
      expect(autumnWeek.errors).toBeUndefined();
      // Two-hour slots: 02:00 does not exist on 28 March, so the first start after 01:30 is 04:00.
      const studio = await spaces.resource({ openingHours: hours(EVERY_DAY, '00:00', '24:00'), slotMinutes: 120, minMinutes: 120 });
      const afterGap = await t.gqlOk(availability, { r: studio, from: '2027-03-28T01:30:00+01:00', to: '2027-03-28T12:00:00+02:00' }, steward.token);
      expect(afterGap.availability).toEqual([{ startsAt: '2027-03-28T04:00:00+02:00', endsAt: '2027-03-28T12:00:00+02:00' }]);
    });

    it('starts no earlier than now', async () => {
      clock.set('2027-03-10T13:10:00+01:00');
      const free = await t.gqlOk(availability, { r: room, from: '2027-03-10T00:00:00+01:00', to: '2027-03-10T23:59:00+01:00' }, steward.token);
      expect(free.availability[0].startsAt).toBe('2027-03-10T13:30:00+01:00');
    });
  });

  describe('who sees what of a booking', () => {
    it('hides bookedBy from auditors and other collectives', async () => {
      const member = await house.member();
      const other = await house.member();
      const auditor = await house.auditor();
      await book(member.token, { resourceId: room, collectiveId: member.collectiveId, title: 'Visible', startsAt: '2027-03-15T08:00:00+01:00', endsAt: '2027-03-15T09:00:00+01:00' });
      const query = `query($r: [ID!]) { bookings(from: "2027-03-15T00:00:00+01:00", to: "2027-03-16T00:00:00+01:00", resourceIds: $r) { title bookedBy { id } collective { id } } }`;
      const own = await t.gqlOk(query, { r: [room] }, member.token);
      expect(own.bookings).toContainEqual({ title: 'Visible', bookedBy: { id: member.id }, collective: { id: member.collectiveId } });
      for (const viewer of [other, auditor]) {
        const seen = await t.gqlOk(query, { r: [room] }, viewer.token);
        expect(seen.bookings).toContainEqual({ title: 'Visible', bookedBy: null, collective: { id: member.collectiveId } });
      }
    });
  });
});

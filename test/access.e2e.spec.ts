import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { io } from 'socket.io-client';
import { ACCESS_RETENTION_JOB } from '../src/access/access.jobs';
import { BOOKING_HOUSEKEEPING_JOB } from '../src/bookings/bookings.jobs';
import { BookingsRepository } from '../src/bookings/bookings.repository';
import { Scheduler } from '../src/database/scheduler';
import { AccessSnapshot } from '../src/access/access-snapshot';
import { AccessSnapshots } from '../src/access/access-snapshots.service';
import { AccessRepository } from '../src/access/access.repository';
import { DoorDecisionQueue } from '../src/access/door-decision.queue';
import { DOORS_NAMESPACE, DOOR_ID_HEADER, DOOR_SIGNATURE_HEADER, DOOR_TIMESTAMP_HEADER, signDoorRequest } from '../src/access/door-protocol';
import { EventStream } from '../src/realtime/event-stream.service';
import { DoorController } from '../tools/door-controller/door-controller';
import { doorRequest } from './support/door-client';
import { holding, lockWaiters } from './support/lock-waits';
import { HouseBuilder, TestPerson } from './support/house';
import { connectLive } from './support/live-client';
import { BOOK, SpacesBuilder } from './support/spaces';
import { recordStatements, statementsReading } from './support/sql-statements';
import { ManualClock, TestApp, errorCodes, startTestApp } from './support/test-app';

const MONDAY = '2027-03-01T08:00:00+01:00';

describe('24/7 badge access', () => {
  let t: TestApp;
  let clock: ManualClock;
  let house: HouseBuilder;
  let steward: TestPerson;
  let hygiene: string;
  let entrance: { id: string; secret: string };
  let kitchenDoor: { id: string; secret: string };
  let kitchen: string;
  let cook: TestPerson & { collectiveId: string };
  let helper: TestPerson;
  let outsider: TestPerson & { collectiveId: string };
  let stewardUid: string;
  let uidCounter = 0x1000;
  const controllers: DoorController[] = [];

  const newUid = () => `04A1${(uidCounter++).toString(16).toUpperCase().padStart(6, '0')}`;

  async function issue(personId: string, uid = newUid()): Promise<{ id: string; uid: string }> {
    const data = await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u, label: "Carte") { id status } }`, { p: personId, u: uid }, steward.token);
    return { id: data.issueBadge.id, uid };
  }

  async function registerDoor(name: string, zoneId: string) {
    const data = await t.gqlOk(`mutation($n: String!, $z: ID!) { registerDoor(name: $n, zoneId: $z) { secret door { id name zone { id } } } }`, { n: name, z: zoneId }, steward.token);
    return { id: data.registerDoor.door.id, secret: data.registerDoor.secret };
  }

  const controller = (door: { id: string; secret: string }, app = t) => {
    const now = () => {
      const ms = clock.now().getTime();
      clock.advance(1);
      return ms;
    };
    const c = new DoorController({ doorId: door.id, secret: door.secret, url: app.baseUrl, now });
    controllers.push(c);
    return c;
  };

  /** A door asking now; the clock then moves 1 ms, as a real one would, so no two requests are identical. */
  const decide = async (door: { id: string; secret: string }, uid: string) => {
    const response = await doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid }), timestamp: clock.now().getTime() });
    clock.advance(1);
    return response;
  };

  const counts = async () => (await t.sql(`SELECT (SELECT count(*) FROM access_event)::int AS access, (SELECT count(*) FROM event_log)::int AS log, (SELECT count(*) FROM door_request)::int AS requests`))[0];

  beforeAll(async () => {
    clock = new ManualClock(MONDAY);
    t = await startTestApp({ clock });
    house = new HouseBuilder(t);
    steward = await house.steward();
    const spaces = new SpacesBuilder(t, steward.token);
    hygiene = await house.qualification('Hygiène');
    const lobby = await spaces.zone(true);
    const kitchenZone = await spaces.zone(false);
    kitchen = await spaces.resource({ kind: 'KITCHEN', zoneId: kitchenZone, requiredQualificationId: hygiene, minMinutes: 60 });
    entrance = await registerDoor('Entrée', lobby);
    kitchenDoor = await registerDoor('Cuisine', kitchenZone);
    cook = await house.member();
    await house.grant(cook.id, hygiene);
    helper = await house.person();
    await house.membership(helper.id, cook.collectiveId);
    outsider = await house.member();
    stewardUid = (await issue(steward.id)).uid;
    // The kitchen is booked 10:00-12:00 by the cook's collective (grace: 15 minutes).
    await t.gqlOk(BOOK, { input: { resourceId: kitchen, collectiveId: cook.collectiveId, title: 'Repas', startsAt: '2027-03-01T10:00:00+01:00', endsAt: '2027-03-01T12:00:00+01:00' } }, cook.token);
  });
  afterEach(() => controllers.splice(0).forEach((c) => c.stop()));
  afterAll(() => t.close());
  // Each test starts a few ms later than the last: a door's clock never goes back, and identical signed requests are replays.
  let tick = 0;
  beforeEach(() => clock.set(new Date(Date.parse(MONDAY) + 10 * tick++)));

  describe('the decision, in DESIGN.md order', () => {
    it('refuses an unknown badge and admits staff anywhere at any hour', async () => {
      expect((await decide(kitchenDoor, 'DEADBEEF')).body).toMatchObject({ decision: 'DENY', reason: 'UNKNOWN_BADGE' });
      clock.set('2027-03-01T03:00:00+01:00');
      expect((await decide(kitchenDoor, stewardUid)).body).toMatchObject({ decision: 'ALLOW', reason: 'STAFF' });
    });

    it('admits members to a 24/7 zone at night, and refuses a membership that ended yesterday', async () => {
      const { uid } = await issue(cook.id);
      clock.set('2027-03-01T02:30:00+01:00');
      expect((await decide(entrance, uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });
      const former = await house.person();
      await house.membership(former.id, (await house.collective()).id, { startsAt: new Date('2027-01-01T00:00:00+01:00'), endsAt: new Date('2027-02-28T12:00:00+01:00') });
      const formerBadge = await issue(former.id);
      expect((await decide(entrance, formerBadge.uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_MEMBERSHIP' });
    });

    it('opens a booked zone from start − grace until end + grace (exclusive), names the booking and checks it in', async () => {
      const { uid } = await issue(cook.id);
      const [booking] = await t.sql(`SELECT id FROM booking WHERE resource_id = $1`, [kitchen]);
      clock.set('2027-03-01T09:44:59+01:00');
      expect((await decide(kitchenDoor, uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_BOOKING' });
      clock.set('2027-03-01T09:45:00+01:00');
      const opened = await decide(kitchenDoor, uid);
      expect(opened.body).toEqual({ decision: 'ALLOW', reason: 'BOOKING_WINDOW', bookingId: booking.id, eventId: expect.any(String) });
      expect((await t.sql(`SELECT status, checked_in_at FROM booking WHERE id = $1`, [booking.id]))[0]).toEqual({ status: 'CHECKED_IN', checked_in_at: new Date('2027-03-01T09:45:00+01:00') });

      // Checked in: the no-show release leaves it alone.
      clock.set('2027-03-01T10:45:00+01:00');
      await t.app.get(Scheduler).runNow(BOOKING_HOUSEKEEPING_JOB);
      expect((await t.sql(`SELECT status FROM booking WHERE id = $1`, [booking.id]))[0].status).toBe('CHECKED_IN');

      // Over, but the group may come back in during the grace: the booking stays checked in until then.
      clock.set('2027-03-01T12:01:00+01:00');
      await t.app.get(Scheduler).runNow(BOOKING_HOUSEKEEPING_JOB);
      expect((await t.sql(`SELECT status FROM booking WHERE id = $1`, [booking.id]))[0].status).toBe('CHECKED_IN');
      clock.set('2027-03-01T12:14:59+01:00');
      expect((await decide(kitchenDoor, uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'BOOKING_WINDOW' });
      clock.set('2027-03-01T12:15:00+01:00');
      expect((await decide(kitchenDoor, uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_BOOKING' });
    });

    it('closes the kitchen when the qualification expires during the booking, offline as online', async () => {
      const shortLived = await house.person();
      await house.membership(shortLived.id, cook.collectiveId);
      await house.grant(shortLived.id, hygiene, new Date('2027-03-01T11:00:00+01:00'));
      const { uid } = await issue(shortLived.id);
      const door = controller(kitchenDoor);
      clock.set('2027-03-01T09:00:00+01:00');
      await door.refreshAllowlist();
      clock.set('2027-03-01T10:30:00+01:00');
      expect(door.decideOffline(uid)).toMatchObject({ decision: 'ALLOW', reason: 'BOOKING_WINDOW' });
      clock.set('2027-03-01T11:30:00+01:00');
      expect((await decide(kitchenDoor, uid)).body).toMatchObject({ decision: 'DENY', reason: 'QUALIFICATION_REQUIRED' });
      expect(door.decideOffline(uid)).toMatchObject({ decision: 'DENY' });
    });

    it('checks in every booking of the group whose window an entry falls in, not only the one it names', async () => {
      const spaces = new SpacesBuilder(t, steward.token);
      const zone = await spaces.zone(false);
      const [first, second] = [await spaces.resource({ zoneId: zone }), await spaces.resource({ zoneId: zone })];
      const door = await registerDoor('Ateliers', zone);
      const member = await house.member();
      const { uid } = await issue(member.id);
      const book = (resourceId: string, startsAt: string, endsAt: string) =>
        t.gqlOk(BOOK, { input: { resourceId, collectiveId: member.collectiveId, title: 'Atelier', startsAt, endsAt } }, member.token).then((d) => d.book[0].id as string);
      const firstId = await book(first, '2027-03-03T10:00:00+01:00', '2027-03-03T12:00:00+01:00');
      const secondId = await book(second, '2027-03-03T11:00:00+01:00', '2027-03-03T13:00:00+01:00');
      const statuses = async () => (await t.sql(`SELECT id, status FROM booking WHERE id = ANY($1) ORDER BY starts_at`, [[firstId, secondId]])).map((b) => b.status);
      clock.set('2027-03-03T10:00:00+01:00');
      expect((await decide(door, uid)).body).toMatchObject({ decision: 'ALLOW', bookingId: firstId });
      expect(await statuses()).toEqual(['CHECKED_IN', 'CONFIRMED']);
      clock.set('2027-03-03T11:00:00+01:00');
      expect((await decide(door, uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'BOOKING_WINDOW' });
      // So the no-show release will leave the second room to the group that is using it.
      expect(await statuses()).toEqual(['CHECKED_IN', 'CHECKED_IN']);
    });

    it('refuses a member of the booking collective who lacks the qualification, and other collectives', async () => {
      const helperBadge = await issue(helper.id);
      const outsiderBadge = await issue(outsider.id);
      clock.set('2027-03-01T10:30:00+01:00');
      const refused = (await decide(kitchenDoor, helperBadge.uid)).body;
      // The booking did not open the door: the answer names none.
      expect(refused).toEqual({ decision: 'DENY', reason: 'QUALIFICATION_REQUIRED', eventId: expect.any(String) });
      expect((await decide(kitchenDoor, outsiderBadge.uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_BOOKING' });
    });

    it('refuses a badge reported lost on the very next request, and tells the connected controller within a second', async () => {
      const badge = await issue(cook.id);
      const door = controller(entrance);
      await door.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await door.present(badge.uid)).decision).toBe('ALLOW');
      const version = door.allowlistVersion;
      const started = Date.now();
      await t.gqlOk(`mutation($id: ID!) { reportBadgeLost(id: $id) { status } }`, { id: badge.id }, cook.token);
      expect((await decide(entrance, badge.uid)).body).toMatchObject({ decision: 'DENY', reason: 'BADGE_INACTIVE' });
      while (door.allowlistVersion === version && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(door.allowlistVersion).toBeGreaterThan(version);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(door.decideOffline(badge.uid).decision).toBe('DENY');
    });

    it('tells the doors of a booked zone about a booking change, a door registered since included', async () => {
      const kitchenZone = (await t.sql(`SELECT zone_id FROM door WHERE id = $1`, [kitchenDoor.id]))[0].zone_id;
      const bookKitchen = (day: string) =>
        t.gqlOk(BOOK, { input: { resourceId: kitchen, collectiveId: cook.collectiveId, title: 'Atelier', startsAt: `${day}T14:00:00+01:00`, endsAt: `${day}T15:00:00+01:00` } }, cook.token);
      const told = async (doors: DoorController[], change: () => Promise<unknown>) => {
        const versions = doors.map((d) => d.allowlistVersion);
        const started = Date.now();
        await change();
        while (doors.some((d, i) => d.allowlistVersion === versions[i]) && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
        return doors.map((d, i) => d.allowlistVersion > versions[i]);
      };
      const kitchenController = controller(kitchenDoor);
      const entranceController = controller(entrance);
      await Promise.all([kitchenController.start(), entranceController.start()]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const entranceVersion = entranceController.allowlistVersion;
      expect(await told([kitchenController], () => bookKitchen('2027-03-02'))).toEqual([true]);

      const backDoor = controller(await registerDoor('Cuisine, cour', kitchenZone));
      await backDoor.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await told([kitchenController, backDoor], () => bookKitchen('2027-03-03'))).toEqual([true, true]);
      // The entrance is in another zone: its allowlist does not depend on the kitchen's bookings.
      expect(entranceController.allowlistVersion).toBe(entranceVersion);
    });

    it('follows a resource a steward edits: moved, its bookings open the new zone\'s doors from the next request; a new qualification closes it to those without; both zones\' doors are told', async () => {
      const spaces = new SpacesBuilder(t, steward.token);
      const [workshopZone, studioZone] = [await spaces.zone(false), await spaces.zone(false)];
      const workshopDoor = await registerDoor('Atelier couture', workshopZone);
      const studioDoor = await registerDoor('Studio', studioZone);
      const room = await spaces.resource({ kind: 'WORKSHOP', zoneId: workshopZone });
      await t.gqlOk(BOOK, { input: { resourceId: room, collectiveId: cook.collectiveId, title: 'Couture', startsAt: '2027-03-04T14:00:00+01:00', endsAt: '2027-03-04T16:00:00+01:00' } }, cook.token);
      const helperBadge = await issue(helper.id);
      const cookBadge = await issue(cook.id);
      const edit = async (changes: Record<string, unknown>) => {
        const { resource } = await t.gqlOk(
          `query($id: ID!) { resource(id: $id) { name kind capacity slotMinutes minMinutes maxMinutes bufferMinutes requiresApproval zone { id } requiredQualification { id } openingHours { weekday opens closes } rates { tier centsPerHour } } }`,
          { id: room },
          steward.token,
        );
        const { zone, requiredQualification, ...rest } = resource;
        const input = { ...rest, zoneId: zone.id, requiredQualificationId: requiredQualification?.id ?? null, ...changes };
        return t.gqlOk(`mutation($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id zone { id } } }`, { id: room, input }, steward.token);
      };
      clock.set('2027-03-04T14:30:00+01:00');
      expect((await decide(workshopDoor, helperBadge.uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'BOOKING_WINDOW' });
      expect((await decide(studioDoor, helperBadge.uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_BOOKING' });

      const doors = [controller(workshopDoor), controller(studioDoor)];
      await Promise.all(doors.map((d) => d.start()));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(doors.map((d) => d.decideOffline(helperBadge.uid).decision)).toEqual(['ALLOW', 'DENY']);
      const versions = doors.map((d) => d.allowlistVersion);
      const started = Date.now();
      expect((await edit({ zoneId: studioZone })).updateResource.zone.id).toBe(studioZone);
      expect((await decide(workshopDoor, helperBadge.uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_BOOKING' });
      expect((await decide(studioDoor, helperBadge.uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'BOOKING_WINDOW' });
      while (doors.some((d, i) => d.allowlistVersion === versions[i]) && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(doors.map((d) => d.decideOffline(helperBadge.uid).decision)).toEqual(['DENY', 'ALLOW']);

      await edit({ requiredQualificationId: hygiene });
      expect((await decide(studioDoor, helperBadge.uid)).body).toMatchObject({ decision: 'DENY', reason: 'QUALIFICATION_REQUIRED' });
      expect((await decide(studioDoor, cookBadge.uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'BOOKING_WINDOW' });
      const logged = await t.sql(`SELECT payload FROM event_log WHERE type = 'resource.updated' AND subject_id = $1 ORDER BY seq`, [room]);
      expect(logged.map((e) => e.payload)).toEqual([
        expect.objectContaining({ zoneId: studioZone, previousZoneId: workshopZone, changed: ['zoneId'] }),
        expect.objectContaining({ zoneId: studioZone, changed: ['requiredQualificationId'] }),
      ]);
      expect(logged[1].payload).not.toHaveProperty('previousZoneId');
    });

    it('closes the kitchen from the next request to someone whose training a steward withdraws, and tells its doors within a second', async () => {
      const trainee = await house.person();
      await house.membership(trainee.id, cook.collectiveId);
      await house.grant(trainee.id, hygiene);
      const { uid } = await issue(trainee.id);
      const cookBadge = await issue(cook.id);
      clock.set('2027-03-01T10:40:00+01:00');
      expect((await decide(kitchenDoor, uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'BOOKING_WINDOW' });
      const door = controller(kitchenDoor);
      await door.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(door.decideOffline(uid).decision).toBe('ALLOW');
      const version = door.allowlistVersion;
      const started = Date.now();
      await t.gqlOk(`mutation($p: ID!, $q: ID!) { revokeQualification(personId: $p, qualificationId: $q) { expiresAt } }`, { p: trainee.id, q: hygiene }, steward.token);
      expect((await decide(kitchenDoor, uid)).body).toMatchObject({ decision: 'DENY', reason: 'QUALIFICATION_REQUIRED' });
      expect((await decide(kitchenDoor, cookBadge.uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'BOOKING_WINDOW' });
      while (door.allowlistVersion === version && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(door.decideOffline(uid).decision).toBe('DENY');
    });

    it('admits a whole group badging in at once at the start of their booking (no deadlock)', async () => {
      const collective = await house.collective();
      const group = await Promise.all(Array.from({ length: 24 }, () => house.member(collective.id)));
      for (const member of group) await house.grant(member.id, hygiene);
      await t.gqlOk(BOOK, { input: { resourceId: kitchen, collectiveId: collective.id, title: 'Grand repas', startsAt: '2027-03-01T14:00:00+01:00', endsAt: '2027-03-01T16:00:00+01:00' } }, group[0].token);
      const badges = [];
      for (const member of group) badges.push(await issue(member.id));
      clock.set('2027-03-01T13:50:00+01:00');
      const started = Date.now();
      const answers = await Promise.all(
        badges.map((badge, i) =>
          doorRequest({ baseUrl: t.baseUrl, doorId: kitchenDoor.id, secret: kitchenDoor.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: badge.uid }), timestamp: clock.now().getTime() + i }),
        ),
      );
      expect(answers.map((a) => [a.status, a.body.decision, a.body.reason])).toEqual(Array(24).fill([200, 'ALLOW', 'BOOKING_WINDOW']));
      expect(Date.now() - started).toBeLessThan(1000);
      const [{ status }] = await t.sql(`SELECT status FROM booking WHERE id = $1`, [answers[0].body.bookingId]);
      expect(status).toBe('CHECKED_IN');
    });

    it('locks a booking for check-in without conflicting with the access events that reference it', async () => {
      const [booking] = await t.sql(`SELECT id FROM booking WHERE resource_id = $1 LIMIT 1`, [kitchen]);
      const repository = t.app.get(BookingsRepository);
      let inserted = 0;
      let bothInserted!: () => void;
      const barrier = new Promise<void>((resolve) => (bothInserted = resolve));
      // Two door decisions at once: each writes its access event (a foreign key to the booking), then locks the booking.
      const decision = () =>
        t.db.transaction(async () => {
          await t.db.query(`INSERT INTO access_event (id, door_id, at, decision, reason, booking_id) VALUES (gen_random_uuid(), $1, $3, 'ALLOW', 'BOOKING_WINDOW', $2)`, [kitchenDoor.id, booking.id, clock.now()]);
          if (++inserted === 2) bothInserted();
          await barrier;
          return repository.findByIdForUpdate(booking.id);
        });
      const locked = await Promise.all([decision(), decision()]);
      expect(locked.map((b) => b?.id)).toEqual([booking.id, booking.id]);
    });

    it('streams door decisions live to stewards only', async () => {
      const stewardLive = await connectLive(t.baseUrl, steward.token);
      const memberLive = await connectLive(t.baseUrl, cook.token);
      try {
        await Promise.all([stewardLive.subscribe(), memberLive.subscribe()]);
        // Decisions notify no one: earlier tests' decisions, committed before the subscription
        // but not yet read by this instance, may come first (after the seq the subscription acknowledged).
        const decisionNamed = async (id: string) => {
          const deadline = Date.now() + 3000;
          for (;;) {
            const found = stewardLive.events.find((e) => e.name === 'access.decided' && e.body.event.id === id);
            if (found || Date.now() > deadline) return found;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        };
        const decided = await decide(entrance, 'ABCDEF01');
        expect(await decisionNamed(decided.body.eventId)).toEqual({ name: 'access.decided', body: { seq: expect.any(Number), event: expect.objectContaining({ id: decided.body.eventId, doorId: entrance.id, personId: null, decision: 'DENY', reason: 'UNKNOWN_BADGE' }) } });
        // The person comes from the access event, not from the log.
        const member = await house.member();
        const admitted = await decide(entrance, (await issue(member.id)).uid);
        expect((await decisionNamed(admitted.body.eventId))?.body.event).toMatchObject({ id: admitted.body.eventId, personId: member.id, decision: admitted.body.decision });
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(memberLive.events).toEqual([]);
      } finally {
        stewardLive.close();
        memberLive.close();
      }
    });

    it('decides a crowd of requests at once, each on its own: reasons, replays, one event each', async () => {
      const { uid: cookUid } = await issue(cook.id);
      const { uid: outsiderUid } = await issue(outsider.id);
      clock.set('2027-03-01T10:30:00+01:00');
      const cases: Array<[{ id: string; secret: string }, string, string]> = [
        [entrance, cookUid, 'MEMBER_ANYTIME'],
        [kitchenDoor, cookUid, 'BOOKING_WINDOW'],
        [kitchenDoor, outsiderUid, 'NO_BOOKING'],
        [kitchenDoor, stewardUid, 'STAFF'],
        [entrance, 'FEEDF00D', 'UNKNOWN_BADGE'],
      ];
      const now = clock.now().getTime();
      const requests = Array.from({ length: 40 }, (_, i) => {
        const [door, uid] = cases[i % cases.length];
        return { baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST' as const, path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid }), timestamp: now + i };
      });
      const replayed = requests[7];
      const before = await counts();
      const [{ seq: seqBefore }] = await t.sql(`SELECT coalesce(max(seq), 0)::int AS seq FROM event_log`);
      const answers = await Promise.all([...requests, replayed, replayed, replayed].map((request) => doorRequest(request)));

      requests.forEach((_, i) => i !== 7 && expect([answers[i].status, answers[i].body.reason]).toEqual([200, cases[i % cases.length][2]]));
      const copies = [answers[7], ...answers.slice(40)];
      expect(copies.filter((a) => a.status === 200)).toHaveLength(1);
      expect(copies.filter((a) => a.status === 401 && a.body.error === 'UNAUTHENTICATED')).toHaveLength(3);
      const after = await counts();
      // One log entry per decision; a badge whose key a new door learnt adds that door's notice.
      const [{ n: learnt }] = await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'badge.door_keys_learned' AND seq > $1`, [seqBefore]);
      expect(after).toEqual({ access: before.access + 40, log: before.log + 40 + learnt, requests: before.requests + 40 });
      const eventIds = answers.filter((a) => a.status === 200).map((a) => a.body.eventId);
      expect(new Set(eventIds).size).toBe(40);
      const logged = await t.sql(`SELECT payload->>'eventId' AS id FROM event_log WHERE type = 'access.decided' AND (payload->>'eventId') = ANY($1)`, [eventIds]);
      expect(logged).toHaveLength(40);
    });

    it('fails only the request that fails when decisions are decided together', async () => {
      const doomed = await registerDoor('Porte condamnée', (await t.sql(`SELECT zone_id FROM door WHERE id = $1`, [entrance.id]))[0].zone_id);
      clock.set('2027-03-01T11:00:00+01:00');
      const now = clock.now().getTime();
      // The app knows the door (cached by a first request), then it disappears under it: its decisions cannot be written.
      await doorRequest({ baseUrl: t.baseUrl, doorId: doomed.id, secret: doomed.secret, method: 'POST', path: '/access/v1/decisions', body: '{}', timestamp: now });
      await t.sql(`DELETE FROM door WHERE id = $1`, [doomed.id]);
      const before = await counts();
      const doors = Array.from({ length: 30 }, (_, i) => (i === 15 ? doomed : entrance));
      const answers = await Promise.all(
        doors.map((door, i) =>
          doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: stewardUid }), timestamp: now + 1 + i }),
        ),
      );
      expect(answers[15].status).toBe(500);
      expect(answers[15].body).toEqual({ error: 'INTERNAL_SERVER_ERROR', message: expect.any(String) });
      expect(answers.filter((_, i) => i !== 15).map((a) => [a.status, a.body.reason])).toEqual(Array(29).fill([200, 'STAFF']));
      expect(await counts()).toEqual({ access: before.access + 29, log: before.log + 29, requests: before.requests + 29 });
    });

    it('logs every decision as an access event and an event-log entry', async () => {
      const before = await counts();
      const response = await decide(entrance, 'CAFEBABE');
      const after = await counts();
      expect(after.access).toBe(before.access + 1);
      expect(after.log).toBe(before.log + 1);
      const [logged] = await t.sql(`SELECT payload FROM event_log WHERE type = 'access.decided' ORDER BY seq DESC LIMIT 1`);
      expect(logged.payload).toMatchObject({ doorId: entrance.id, decision: 'DENY', reason: 'UNKNOWN_BADGE' });
      expect(JSON.stringify(logged.payload)).not.toContain('CAFEBABE');
      const [event] = await t.sql(`SELECT id FROM access_event WHERE id = $1`, [response.body.eventId]);
      expect(event).toBeDefined();
    });
  });

  describe('deciding from memory', () => {
    it('answers from its snapshot exactly as from the database, at every instant of a day and at each window edge', async () => {
      // Variety: a grant that expires during a booking, a membership that starts during one, a resource without qualification.
      const [{ zone_id: kitchenZone }] = await t.sql(`SELECT zone_id FROM resource WHERE id = $1`, [kitchen]);
      const room = await new SpacesBuilder(t, steward.token).resource({ kind: 'ROOM', zoneId: kitchenZone });
      const collective = await house.collective();
      const booker = await house.member(collective.id);
      await house.grant(booker.id, hygiene);
      const expiring = await house.member(collective.id);
      await house.grant(expiring.id, hygiene, new Date('2027-03-01T17:45:00+01:00'));
      const newcomer = await house.person();
      await house.membership(newcomer.id, collective.id, { startsAt: new Date('2027-03-01T10:30:00+01:00') });
      await t.gqlOk(BOOK, { input: { resourceId: room, collectiveId: collective.id, title: 'Réunion', startsAt: '2027-03-01T09:00:00+01:00', endsAt: '2027-03-01T11:00:00+01:00' } }, booker.token);
      await t.gqlOk(BOOK, { input: { resourceId: kitchen, collectiveId: collective.id, title: 'Cuisine', startsAt: '2027-03-01T17:00:00+01:00', endsAt: '2027-03-01T18:30:00+01:00' } }, booker.token);
      for (const person of [booker, expiring, newcomer]) await issue(person.id);

      const repository = t.app.get(AccessRepository);
      const from = new Date('2027-03-01T00:00:00+01:00');
      const until = new Date('2027-03-02T00:00:00+01:00');
      const snapshot = new AccessSnapshot(await repository.decisionInputs(from, until), from, until);
      const uidHashes = [...(await t.sql(`SELECT DISTINCT uid_hash FROM badge`)).map((r) => r.uid_hash), 'f'.repeat(64)];
      const pairs = (await t.sql(`SELECT p.id AS person_id, z.id AS zone_id FROM person p CROSS JOIN zone z`)).map((r) => ({ personId: r.person_id, zoneId: r.zone_id }));
      const edges = (await t.sql(`SELECT starts_at, ends_at FROM booking WHERE starts_at < $2 AND ends_at > $1`, [from, until])).flatMap((b) =>
        [b.starts_at.getTime() - 15 * 60_000, b.ends_at.getTime() + 15 * 60_000].flatMap((edge) => [edge - 1, edge]),
      );
      const instants = [...Array.from({ length: 24 * 12 }, (_, i) => from.getTime() + i * 5 * 60_000), ...edges, Date.parse('2027-03-01T17:45:00+01:00') - 1].map((ms) => new Date(ms));
      let openings = 0;
      let unqualified = 0;
      let notMembers = 0;
      for (const at of instants) {
        const lookups = uidHashes.map((uidHash) => ({ uidHash, at }));
        const holders = await repository.holdersOfUids(lookups);
        expect(snapshot.holdersOfUids(lookups)).toEqual(holders);
        const bookings = await repository.bookingsOpeningZones(pairs, at);
        expect(snapshot.bookingsOpeningZones(pairs, at)).toEqual(bookings);
        openings += bookings.flat().filter((b) => b.qualified).length;
        unqualified += bookings.flat().filter((b) => !b.qualified).length;
        notMembers += holders.filter((h) => h && !h.activeMember).length;
      }
      // Not a comparison of empty answers.
      expect(openings).toBeGreaterThan(100);
      expect(unqualified).toBeGreaterThan(10);
      expect(notMembers).toBeGreaterThan(10);
    });

    /** Waits until this instance decides from a snapshot, and returns it. */
    async function snapshotInUse() {
      const snapshots = t.app.get(AccessSnapshots);
      const started = Date.now();
      while (!snapshots.usableAt(clock.now()) && Date.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 10));
      const snapshot = snapshots.usableAt(clock.now());
      expect(snapshot).not.toBeNull();
      return snapshot;
    }

    /** From here the stream delivers nothing: only the check made as a decision is recorded can see a change. */
    async function withStreamStopped(work: () => Promise<void>) {
      const stream = t.app.get(EventStream);
      const wake = stream.wake;
      stream.wake = () => undefined;
      try {
        await work();
      } finally {
        stream.wake = wake;
        stream.wake();
      }
    }

    it('never opens from memory after a change the live stream has not delivered yet', async () => {
      const member = await house.member();
      const badge = await issue(member.id);
      clock.set('2027-03-01T21:00:00+01:00');
      expect((await decide(entrance, badge.uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });
      const snapshot = await snapshotInUse();
      expect((await decide(entrance, badge.uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });
      await withStreamStopped(async () => {
        const before = await counts();
        await t.gqlOk(`mutation($id: ID!) { reportBadgeLost(id: $id) { status } }`, { id: badge.id }, member.token);
        expect(t.app.get(AccessSnapshots).usableAt(clock.now())).toBe(snapshot);
        expect((await decide(entrance, badge.uid)).body).toMatchObject({ decision: 'DENY', reason: 'BADGE_INACTIVE' });
        // The lost badge's entry, once: the decision taken from memory wrote nothing.
        expect(await counts()).toEqual({ access: before.access + 1, log: before.log + 2, requests: before.requests + 1 });
      });
    });

    it('closes the door at once on this instance to a membership ended through another one', async () => {
      const other = await startTestApp({ clock, databaseUrl: t.databaseUrl });
      try {
        const member = await house.member();
        const [{ id: membershipId }] = await t.sql(`SELECT id FROM membership WHERE person_id = $1`, [member.id]);
        const { uid } = await issue(member.id);
        clock.set('2027-03-01T22:00:00+01:00');
        expect((await decide(entrance, uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });
        await snapshotInUse();
        await withStreamStopped(async () => {
          await other.gqlOk(`mutation($id: ID!) { endMembership(id: $id) { id } }`, { id: membershipId }, steward.token);
          expect((await decide(entrance, uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_MEMBERSHIP' });
        });
      } finally {
        await other.close();
      }
    });
    it('refuses a retired door from its next request on, on every instance, and writes nothing for it', async () => {
      const RETIRE = `mutation($id: ID!) { retireDoor(id: $id) { id retiredAt } }`;
      const lobby = (await t.sql(`SELECT zone_id FROM door WHERE id = $1`, [entrance.id]))[0].zone_id;
      const side = await registerDoor('Porte latérale', lobby);
      const member = await house.member();
      const { uid } = await issue(member.id);
      clock.set('2027-03-01T22:30:00+01:00');
      const sideController = controller(side);
      await sideController.start();
      const other = await startTestApp({ clock, databaseUrl: t.databaseUrl });
      try {
        expect((await decide(side, uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });
        expect(errorCodes(await t.gql(RETIRE, { id: side.id }, member.token))).toEqual(['FORBIDDEN']);
        expect(errorCodes(await t.gql(RETIRE, { id: randomUUID() }, steward.token))).toEqual(['NOT_FOUND']);
        const started = Date.now();
        while (!sideController.pushConnected && Date.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(sideController.pushConnected).toBe(true);
        await snapshotInUse();

        let retiredAt = '';
        await withStreamStopped(async () => {
          const before = await counts();
          retiredAt = (await other.gqlOk(RETIRE, { id: side.id }, steward.token)).retireDoor.retiredAt;
          expect(retiredAt).toMatch(/^2027-03-01T22:30:00(\.\d+)?\+01:00$/);
          // This instance has not heard of it and still knows the door's secret: refused all the same.
          const refused = await decide(side, uid);
          expect(refused.status).toBe(401);
          expect(refused.body).toMatchObject({ error: 'UNAUTHENTICATED', message: expect.stringMatching(/retired/) });
          expect((await decide(entrance, uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });
          // The retirement and the entrance's decision; nothing for the retired door.
          expect(await counts()).toEqual({ access: before.access + 1, log: before.log + 2, requests: before.requests + 1 });
        });

        // Once the stream has shown it: the live socket is closed and the allowlist refused too.
        const shown = Date.now();
        while (sideController.pushConnected && Date.now() - shown < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(sideController.pushConnected).toBe(false);
        const allowlist = await doorRequest({ baseUrl: t.baseUrl, doorId: side.id, secret: side.secret, method: 'GET', path: '/access/v1/allowlist', body: '', timestamp: clock.now().getTime() });
        expect(allowlist.status).toBe(401);
        expect((await doorRequest({ baseUrl: other.baseUrl, doorId: side.id, secret: side.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid }), timestamp: clock.now().getTime() + 1 })).status).toBe(401);

        // Retiring it again changes nothing; the doors list shows when it was retired.
        expect((await t.gqlOk(RETIRE, { id: side.id }, steward.token)).retireDoor.retiredAt).toBe(retiredAt);
        expect(await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'door.retired' AND subject_id = $1`, [side.id])).toEqual([{ n: 1 }]);
        const { doors } = await t.gqlOk(`{ doors { id retiredAt } }`, {}, steward.token);
        expect(doors).toEqual(expect.arrayContaining([{ id: side.id, retiredAt }, { id: entrance.id, retiredAt: null }]));
      } finally {
        await other.close();
      }
    });
    it('follows a zone a steward opens to members at any hour, or closes again, from the next request on every instance, and tells its doors', async () => {
      const spaces = new SpacesBuilder(t, steward.token);
      const studioZone = await spaces.zone(false);
      const studio = await registerDoor('Studio photo', studioZone);
      const member = await house.member();
      const { uid } = await issue(member.id);
      const UPDATE = `mutation($id: ID!, $name: String!, $open: Boolean!) { updateZone(id: $id, name: $name, openToMembersAnytime: $open) { id name openToMembersAnytime } }`;
      clock.set('2027-03-01T23:00:00+01:00');
      expect((await decide(studio, uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_BOOKING' });
      const studioController = controller(studio);
      await studioController.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(studioController.decideOffline(uid).decision).toBe('DENY');
      await snapshotInUse();

      const other = await startTestApp({ clock, databaseUrl: t.databaseUrl });
      const version = studioController.allowlistVersion;
      try {
        await withStreamStopped(async () => {
          const opened = await other.gqlOk(UPDATE, { id: studioZone, name: 'Studio (24/7)', open: true }, steward.token);
          expect(opened.updateZone).toEqual({ id: studioZone, name: 'Studio (24/7)', openToMembersAnytime: true });
          // This instance still has the door, and its zone, as it first read them.
          expect((await decide(studio, uid)).body).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });
        });
      } finally {
        await other.close();
      }
      const started = Date.now();
      while (studioController.allowlistVersion === version && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(studioController.decideOffline(uid)).toMatchObject({ decision: 'ALLOW', reason: 'ANYTIME' });

      const reopened = studioController.allowlistVersion;
      await t.gqlOk(UPDATE, { id: studioZone, name: 'Studio (24/7)', open: false }, steward.token);
      expect((await decide(studio, uid)).body).toMatchObject({ decision: 'DENY', reason: 'NO_BOOKING' });
      const closed = Date.now();
      while (studioController.allowlistVersion === reopened && Date.now() - closed < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(studioController.decideOffline(uid).decision).toBe('DENY');
      const logged = await t.sql(`SELECT payload FROM event_log WHERE type = 'zone.updated' AND subject_id = $1 ORDER BY seq`, [studioZone]);
      expect(logged.map((e) => e.payload)).toEqual([
        { name: 'Studio (24/7)', names: {}, openToMembersAnytime: true, changed: ['name', 'openToMembersAnytime'] },
        { name: 'Studio (24/7)', names: {}, openToMembersAnytime: false, changed: ['openToMembersAnytime'] },
      ]);
    });
  });

  describe('the signed protocol', () => {
    it('refuses a forged signature, a stale timestamp, an unknown door and a replay, writing nothing', async () => {
      const body = JSON.stringify({ badgeUid: stewardUid });
      const now = clock.now().getTime();
      const base = { baseUrl: t.baseUrl, doorId: entrance.id, secret: entrance.secret, method: 'POST' as const, path: '/access/v1/decisions', body };
      const first = await doorRequest({ ...base, timestamp: now });
      expect(first.status).toBe(200);
      const before = await counts();
      const refusals = [
        await doorRequest({ ...base, timestamp: now + 1, signature: 'f'.repeat(64) }),
        await doorRequest({ ...base, timestamp: now + 2, secret: 'not-the-secret' }),
        await doorRequest({ ...base, timestamp: now - 31_000 }),
        await doorRequest({ ...base, timestamp: now + 31_000 }),
        await doorRequest({ ...base, timestamp: now + 3, doorId: randomUUID() }),
        await doorRequest({ ...base, timestamp: now }),
      ];
      for (const refusal of refusals) {
        expect(refusal.status).toBe(401);
        expect(refusal.body).toMatchObject({ error: 'UNAUTHENTICATED' });
        expect(refusal.text).not.toMatch(/at .*\.(js|ts):\d+/);
      }
      expect(await counts()).toEqual(before);
    });

    it('accepts a signed push handshake once, and refuses a forged, stale or replayed one', async () => {
      const connect = (auth: object) =>
        new Promise<'connected' | string>((resolve) => {
          const socket = io(`${t.baseUrl}${DOORS_NAMESPACE}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
          socket.on('connect', () => {
            socket.disconnect();
            resolve('connected');
          });
          socket.on('connect_error', (error) => resolve(error.message));
        });
      const now = clock.now().getTime();
      const signed = (timestamp: number, secret = entrance.secret) => ({ doorId: entrance.id, timestamp: String(timestamp), signature: signDoorRequest(secret, timestamp, 'GET', DOORS_NAMESPACE, '') });
      const handshake = signed(now);
      expect(await connect(handshake)).toBe('connected');
      expect(await connect(handshake)).toBe('UNAUTHENTICATED');
      expect(await connect(signed(now + 1, kitchenDoor.secret))).toBe('UNAUTHENTICATED');
      expect(await connect(signed(now - 31_000))).toBe('UNAUTHENTICATED');
      expect(await connect(signed(now + 2))).toBe('connected');
    });

    it('answers 400 with a JSON error to a malformed or oversized body', async () => {
      const now = clock.now().getTime();
      const base = { baseUrl: t.baseUrl, doorId: entrance.id, secret: entrance.secret, method: 'POST' as const, path: '/access/v1/decisions' };
      const before = await counts();
      for (const [i, body] of ['{"badgeUid": 42}', '{"uid": "04A1B2C3"}', '{"badgeUid": "not hex!"}', '{not json', JSON.stringify({ badgeUid: 'A'.repeat(300_000) }), JSON.stringify({ badgeUid: stewardUid, eventId: 'not-a-uuid' })].entries()) {
        const response = await doorRequest({ ...base, body, timestamp: now + i });
        expect(response.status).toBe(400);
        expect(response.body).toHaveProperty('error');
      }
      const events = await doorRequest({ ...base, path: '/access/v1/events', body: JSON.stringify({ events: [{ id: 'x' }] }), timestamp: now + 10 });
      expect(events.status).toBe(400);
      // A decision dated later than the door's clock can be is made up (and would never be purged).
      const future = { id: randomUUID(), badgeUid: stewardUid, at: new Date(now + 3_600_000).toISOString(), decision: 'ALLOW', reason: 'ANYTIME' };
      const later = await doorRequest({ ...base, path: '/access/v1/events', body: JSON.stringify({ events: [future] }), timestamp: now + 11 });
      expect(later.status).toBe(400);
      expect(await counts()).toEqual(before);
    });

    it('refuses a body too large for a decision as soon as it knows, without waiting for the rest', async () => {
      const before = await counts();
      // Declares 10 MB and sends 8 KB, then nothing: the answer must not wait for the rest.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL('/access/v1/decisions', t.baseUrl);
        const request = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(10_000_000) } },
          (response) => {
            let body = '';
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => resolve({ status: response.statusCode!, body }));
          },
        );
        request.on('error', reject);
        request.write('{"badgeUid": "' + 'A'.repeat(8192));
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: 'BAD_REQUEST', message: 'The body is too large.' });
      // Also when no length is declared (chunked), once more than 4 KB has arrived.
      const chunked = await new Promise<number>((resolve, reject) => {
        const url = new URL('/access/v1/decisions', t.baseUrl);
        const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
          response.resume();
          resolve(response.statusCode!);
        });
        request.on('error', reject);
        request.write('{"badgeUid": "' + 'B'.repeat(8192));
      });
      expect(chunked).toBe(400);
      expect(await counts()).toEqual(before);
    });

    it('records a decision the door names (eventId) once, whichever of its online answer and offline upload comes first', async () => {
      const spaces = new SpacesBuilder(t, steward.token);
      const zone = await spaces.zone(false);
      const room = await spaces.resource({ zoneId: zone });
      const workshop = await registerDoor('Atelier (eventId)', zone);
      const member = await house.member();
      const { uid } = await issue(member.id);
      const [bookingId] = (await t.gqlOk(BOOK, { input: { resourceId: room, collectiveId: member.collectiveId, title: 'Atelier', startsAt: '2027-03-04T10:00:00+01:00', endsAt: '2027-03-04T12:00:00+01:00' } }, member.token)).book.map((b: { id: string }) => b.id);
      clock.set('2027-03-04T10:00:00+01:00');
      let timestamp = clock.now().getTime();
      const ask = (door: { id: string; secret: string }, eventId: string) =>
        doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid, eventId }), timestamp: timestamp++ });
      const upload = (door: { id: string; secret: string }, id: string) => {
        const event = { id, badgeUid: uid, at: new Date(clock.now().getTime() - 1000).toISOString(), decision: 'ALLOW', reason: 'ANYTIME' };
        return doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/events', body: JSON.stringify({ events: [event] }), timestamp: timestamp++ });
      };
      // The answer reached the server (and was recorded), the door gave up waiting and uploads its own copy.
      const answeredFirst = randomUUID();
      expect((await ask(entrance, answeredFirst.toUpperCase())).body).toEqual({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME', eventId: answeredFirst });
      expect((await upload(entrance, answeredFirst)).body).toEqual({ accepted: 0, duplicates: 1 });
      // The upload overtook the request it stood in for: the booking is still checked in, the entry kept once.
      const uploadedFirst = randomUUID();
      expect((await upload(workshop, uploadedFirst)).body).toEqual({ accepted: 1, duplicates: 0 });
      expect((await ask(workshop, uploadedFirst)).body).toEqual({ decision: 'ALLOW', reason: 'BOOKING_WINDOW', bookingId, eventId: uploadedFirst });
      expect((await t.sql(`SELECT status FROM booking WHERE id = $1`, [bookingId]))[0].status).toBe('CHECKED_IN');

      // A door that sends the same decision again meanwhile (a retry) still makes one entry, also
      // when the copies are decided together: behind a decision held at the chain head, they queue for one batch.
      const retried = randomUUID();
      const chainHead = await holding(t, `SELECT * FROM event_log_head FOR UPDATE`);
      const held = ask(entrance, randomUUID());
      await lockWaiters(t, 1);
      const copies = [ask(entrance, retried), ask(entrance, retried), ask(entrance, retried)];
      const queue = t.app.get(DoorDecisionQueue) as unknown as { waiting: unknown[] };
      while (queue.waiting.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      await chainHead.release();
      expect((await held).status).toBe(200);
      expect((await Promise.all(copies)).map((a) => a.body.eventId)).toEqual([retried, retried, retried]);

      const ids = [answeredFirst, uploadedFirst, retried];
      expect(await t.sql(`SELECT id, offline FROM access_event WHERE id = ANY($1) ORDER BY offline, id`, [ids])).toEqual([
        { id: answeredFirst, offline: false },
        { id: retried, offline: false },
        { id: uploadedFirst, offline: true },
      ].sort((a, b) => Number(a.offline) - Number(b.offline) || (a.id < b.id ? -1 : 1)));
      const logged = await t.sql(`SELECT payload->>'eventId' AS id FROM event_log WHERE type = 'access.decided' AND payload->>'eventId' = ANY($1)`, [ids]);
      expect(logged.map((row: { id: string }) => row.id).sort()).toEqual([...ids].sort());
    });

    it('checks the signature of an upload over its exact bytes whatever its Content-Type', async () => {
      const now = clock.now().getTime();
      const body = JSON.stringify({ events: [{ id: randomUUID(), badgeUid: stewardUid, at: new Date(now - 60_000).toISOString(), decision: 'ALLOW', reason: 'ANYTIME' }] });
      for (const [i, contentType] of [['text/plain'], ['application/octet-stream'], [null]].entries()) {
        const timestamp = now + i;
        const response = await fetch(`${t.baseUrl}/access/v1/events`, {
          method: 'POST',
          headers: {
            [DOOR_ID_HEADER]: entrance.id,
            [DOOR_TIMESTAMP_HEADER]: String(timestamp),
            [DOOR_SIGNATURE_HEADER]: signDoorRequest(entrance.secret, timestamp, 'POST', '/access/v1/events', body),
            ...(contentType[0] ? { 'content-type': contentType[0] } : {}),
          },
          body: new TextEncoder().encode(body),
        });
        expect([response.status, await response.json()]).toEqual([200, { accepted: i === 0 ? 1 : 0, duplicates: i === 0 ? 0 : 1 }]);
      }
    });

    it('serves a signed allowlist for the next 24 hours', async () => {
      const door = controller(kitchenDoor);
      await door.refreshAllowlist();
      const list = door.currentAllowlist!;
      expect(list.doorId).toBe(kitchenDoor.id);
      expect(Date.parse(list.validUntil) - Date.parse(list.generatedAt)).toBe(24 * 3_600_000);
      const forged = await doorRequest({ baseUrl: t.baseUrl, doorId: kitchenDoor.id, secret: kitchenDoor.secret, method: 'GET', path: '/access/v1/allowlist', timestamp: clock.now().getTime() + 5 });
      expect(forged.headers.get('x-allowlist-signature')).toMatch(/^[0-9a-f]{64}$/);
      expect(door.decideOffline(stewardUid)).toMatchObject({ decision: 'ALLOW', reason: 'ANYTIME' });
    });
  });

  describe('offline', () => {
    it('keeps admitting from the allowlist while the server is down, then uploads its decisions once', async () => {
      const member = await house.member(cook.collectiveId);
      await house.grant(member.id, hygiene);
      const memberBadge = await issue(member.id);
      const outsiderBadge = await issue(outsider.id);
      const lobby = controller(entrance);
      const kitchenGate = controller(kitchenDoor);
      await Promise.all([lobby.start(), kitchenGate.start()]);

      const port = Number(new URL(t.baseUrl).port);
      await t.stopServing();
      clock.set('2027-03-01T10:05:00+01:00');
      const offline = [
        await lobby.present(memberBadge.uid),
        await kitchenGate.present(memberBadge.uid),
        await kitchenGate.present(outsiderBadge.uid),
      ];
      expect(offline.map((d) => [d.source, d.decision])).toEqual([['allowlist', 'ALLOW'], ['allowlist', 'ALLOW'], ['allowlist', 'DENY']]);
      expect(lobby.queuedEvents).toHaveLength(1);
      expect(kitchenGate.queuedEvents).toHaveLength(2);
      const queued = [...kitchenGate.queuedEvents];

      const restarted = await startTestApp({ clock, databaseUrl: t.databaseUrl, port });
      try {
        const uploaded = await kitchenGate.flushQueue();
        expect(uploaded).toEqual({ accepted: 2, duplicates: 0 });
        const again = await doorRequest({ baseUrl: restarted.baseUrl, doorId: kitchenDoor.id, secret: kitchenDoor.secret, method: 'POST', path: '/access/v1/events', body: JSON.stringify({ events: queued }), timestamp: clock.now().getTime() });
        expect(again.body).toEqual({ accepted: 0, duplicates: 2 });
        const stored = await restarted.sql(`SELECT decision, offline, person_id FROM access_event WHERE id = ANY($1) ORDER BY decision`, [queued.map((e) => e.id)]);
        expect(stored).toEqual([
          { decision: 'ALLOW', offline: true, person_id: member.id },
          { decision: 'DENY', offline: true, person_id: outsider.id },
        ]);
      } finally {
        await restarted.close();
        t = await startTestApp({ clock, databaseUrl: t.databaseUrl, port });
      }
    });

    it('counts once a decision the server records after the controller stopped waiting for it', async () => {
      const member = await house.member();
      const { uid } = await issue(member.id);
      const lobby = controller(entrance);
      await lobby.refreshAllowlist();
      // The decision waits behind the event log's chain head for longer than the controller's 300 ms.
      const chainHead = await holding(t, `SELECT * FROM event_log_head FOR UPDATE`);
      let released = false;
      try {
        const decided = await lobby.present(uid);
        expect(decided).toMatchObject({ source: 'allowlist', decision: 'ALLOW' });
        expect(lobby.queuedEvents.map((e) => e.id)).toEqual([decided.eventId]);
        await chainHead.release();
        released = true;
        // The server's own record of it.
        while ((await t.sql(`SELECT 1 FROM access_event WHERE person_id = $1`, [member.id])).length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(await lobby.flushQueue()).toEqual({ accepted: 0, duplicates: 1 });
        expect(await t.sql(`SELECT id, offline FROM access_event WHERE person_id = $1`, [member.id])).toEqual([{ id: decided.eventId, offline: false }]);
        expect(await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'access.decided' AND payload->>'eventId' = $1`, [decided.eventId])).toEqual([{ n: 1 }]);
      } finally {
        if (!released) await chainHead.release();
      }
    });

    it('teaches a door registered after a badge its key at the badge\'s next online use', async () => {
      const member = await house.member();
      const badge = await issue(member.id);
      const zone = (await t.sql(`SELECT zone_id FROM door WHERE id = $1`, [entrance.id]))[0].zone_id;
      const newDoor = await registerDoor('Porte de derrière', zone);
      const gate = controller(newDoor);
      await gate.start();
      // Settled: the list read at start and the one read when the push channel connected.
      while (!gate.pushConnected || gate.allowlistVersion < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(gate.decideOffline(badge.uid).decision).toBe('DENY');
      const started = Date.now();
      expect((await decide(entrance, badge.uid)).body.decision).toBe('ALLOW');
      // The new door is told, and admits the badge offline, within a second.
      while (gate.decideOffline(badge.uid).decision === 'DENY' && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(gate.decideOffline(badge.uid)).toMatchObject({ decision: 'ALLOW', reason: 'ANYTIME' });
    });

    it('refuses everything once the allowlist has expired', async () => {
      const door = controller(entrance);
      await door.refreshAllowlist();
      clock.set(new Date(Date.parse(door.currentAllowlist!.validUntil)));
      expect(door.decideOffline(stewardUid)).toMatchObject({ decision: 'DENY', reason: 'ALLOWLIST_EXPIRED' });
    });
  });

  describe('badges and events over GraphQL', () => {
    it('refuses a uid already active, lets only staff issue and revoke, and shows members their own', async () => {
      const person = await house.member();
      const uid = newUid();
      await issue(person.id, uid);
      const duplicate = await t.gql(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: person.id, u: uid.toLowerCase() }, steward.token);
      expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
      const byMember = await t.gql(`mutation($p: ID!) { issueBadge(personId: $p, uid: "0A0B0C0D") { id } }`, { p: person.id }, person.token);
      expect(errorCodes(byMember)).toEqual(['FORBIDDEN']);
      const bad = await t.gql(`mutation($p: ID!) { issueBadge(personId: $p, uid: "xyz") { id } }`, { p: person.id }, steward.token);
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
      const mine = await t.gqlOk(`{ badges { id label status person { id } } }`, {}, person.token);
      expect(mine.badges).toHaveLength(1);
      expect(errorCodes(await t.gql(`mutation($id: ID!) { revokeBadge(id: $id) { id } }`, { id: mine.badges[0].id }, person.token))).toEqual(['FORBIDDEN']);
      expect((await t.gqlOk(`mutation($id: ID!) { revokeBadge(id: $id) { status } }`, { id: mine.badges[0].id }, steward.token)).revokeBadge.status).toBe('REVOKED');
      const reissued = await t.gql(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: person.id, u: uid }, steward.token);
      expect(reissued.errors).toBeUndefined();
      expect(errorCodes(await t.gql(`{ badges(personId: "${steward.id}") { id } }`, {}, person.token))).toEqual(['FORBIDDEN']);
    });

    it('tells stewards when each door last had a decision (a silent door may be offline), and nobody else', async () => {
      const lobby = (await t.sql(`SELECT zone_id FROM door WHERE id = $1`, [entrance.id]))[0].zone_id;
      const cellar = await registerDoor('Cave', lobby);
      expect((await decide(entrance, stewardUid)).body).toMatchObject({ decision: 'ALLOW', reason: 'STAFF' });
      const { doors } = await t.gqlOk(`{ doors { id lastDecisionAt } }`, {}, steward.token);
      const last = new Map(doors.map((d: { id: string; lastDecisionAt: string | null }) => [d.id, d.lastDecisionAt]));
      const [{ latest }] = await t.sql(`SELECT max(at) AS latest FROM access_event WHERE door_id = $1`, [entrance.id]);
      expect(Date.parse(last.get(entrance.id) as string)).toBe(latest.getTime());
      expect(last.get(cellar.id)).toBeNull();
      expect(new Set(errorCodes(await t.gql(`{ doors { id lastDecisionAt } }`, {}, cook.token)))).toEqual(new Set(['FORBIDDEN']));
    });

    it('shows door decisions to staff, a member their own, and nothing to auditors', async () => {
      const member = await house.member();
      const badge = await issue(member.id);
      await decide(entrance, badge.uid);
      const range = { from: '2027-02-28T00:00:00+01:00', to: '2027-03-02T00:00:00+01:00' };
      const all = await t.gqlOk(`query($from: DateTime!, $to: DateTime!) { accessEvents(from: $from, to: $to) { reason person { id } door { name } } }`, range, steward.token);
      expect(all.accessEvents.length).toBeGreaterThan(1);
      const own = await t.gqlOk(`query($from: DateTime!, $to: DateTime!) { myAccessEvents(from: $from, to: $to) { reason decision door { id } person { id } } }`, range, member.token);
      expect(own.myAccessEvents).toEqual([{ reason: 'MEMBER_ANYTIME', decision: 'ALLOW', door: { id: entrance.id }, person: { id: member.id } }]);
      expect(errorCodes(await t.gql(`query($from: DateTime!, $to: DateTime!) { accessEvents(from: $from, to: $to) { id } }`, range, member.token))).toEqual(['FORBIDDEN']);
      const auditor = await house.auditor();
      expect(errorCodes(await t.gql(`query($from: DateTime!, $to: DateTime!) { accessEvents(from: $from, to: $to) { id } }`, range, auditor.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(`{ badges { id } }`, {}, auditor.token))).toEqual(['FORBIDDEN']);
    });

    it('reads a day of decisions with as many SQL statements for 40 decisions as for 4, whatever their doors, badges and people', async () => {
      const recorded = recordStatements(t);
      // A day no other test of this file enters on.
      const range = { from: '2027-04-14T00:00:00+02:00', to: '2027-04-15T00:00:00+02:00' };
      const statementsToRead = async (expected: number, snapshotReadMeanwhile = false) => {
        recorded.statements.length = 0;
        // As decisions and new badges make it do at any time; its statements are not the query's.
        if (snapshotReadMeanwhile) t.app.get(AccessSnapshots).drop();
        const { accessEvents } = await t.gqlOk(
          `query($from: DateTime!, $to: DateTime!) { accessEvents(from: $from, to: $to) { reason door { name names { lang } zone { name } } badge { label } person { id } } }`,
          range,
          steward.token,
        );
        expect(accessEvents).toHaveLength(expected);
        return statementsReading(recorded.statements, ['door', 'badge', 'person', 'zone']);
      };
      const enterTimes = async (times: number) => {
        for (let i = 0; i < times; i++) {
          const member = await house.member();
          const badge = await issue(member.id);
          clock.set(`2027-04-14T${String(8 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00+02:00`);
          await decide(i % 2 ? kitchenDoor : entrance, badge.uid);
        }
      };
      try {
        await enterTimes(4);
        const few = await statementsToRead(4);
        await enterTimes(36);
        expect(await statementsToRead(40, true)).toBe(few);
      } finally {
        recorded.stop();
      }
    });
  });

  describe('retention', () => {
    it('deletes access events older than ACCESS_LOG_RETENTION_DAYS after keeping daily attendance', async () => {
      const member = await house.member();
      const badge = await issue(member.id);
      clock.set('2027-03-01T20:00:00+01:00');
      const memberEvents = [(await decide(entrance, badge.uid)).body.eventId, (await decide(entrance, badge.uid)).body.eventId];
      const [{ n: allowed }] = await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE at < '2027-03-02T00:00:00+01:00' AND decision = 'ALLOW' AND badge_id IS NOT NULL`);
      const [{ n: all }] = await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE at < '2027-03-02T00:00:00+01:00'`);
      clock.set('2027-05-30T01:00:00+02:00');
      await t.app.get(Scheduler).runNow(ACCESS_RETENTION_JOB);
      expect((await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE at < '2027-03-02T00:00:00+01:00'`))[0].n).toBe(all);
      clock.set('2027-05-31T01:00:00+02:00');
      await t.app.get(Scheduler).runNow(ACCESS_RETENTION_JOB);
      expect((await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE at < '2027-03-02T00:00:00+01:00'`))[0].n).toBe(0);
      const [kept] = await t.sql(`SELECT sum(entries)::int AS entries, count(*)::int AS visitors FROM attendance_visit WHERE day = '2027-03-01'`);
      expect(kept.entries).toBe(allowed);
      expect(kept.visitors).toBeGreaterThan(0);

      // The event log, kept for ever, never named the person or the badge: once the access
      // events are gone, a steward replaying the log sees the decisions without a person.
      const logged = await t.sql(`SELECT payload::text AS payload FROM event_log WHERE type = 'access.decided' AND payload->>'eventId' = ANY($1)`, [memberEvents]);
      expect(logged).toHaveLength(2);
      for (const { payload } of logged) {
        expect(payload).not.toContain(member.id);
        expect(payload).not.toContain(badge.id);
      }
      const stewardLive = await connectLive(t.baseUrl, steward.token);
      try {
        // The replay is sent before the acknowledgement.
        await stewardLive.subscribe({ since: 0 });
        const replayed = stewardLive.events.filter((e) => e.name === 'access.decided' && memberEvents.includes(e.body.event.id));
        expect(replayed.map((e) => e.body.event.personId)).toEqual([null, null]);
      } finally {
        stewardLive.close();
      }
    });
  });
});

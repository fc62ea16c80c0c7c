import { io } from 'socket.io-client';
import { HouseBuilder, TestPerson } from './support/house';
import { LiveClient, connectLive } from './support/live-client';
import { BOOK, SpacesBuilder } from './support/spaces';
import { ManualClock, TestApp, startTestApp } from './support/test-app';

describe('live updates on /live', () => {
  let t: TestApp;
  let house: HouseBuilder;
  let member: TestPerson & { collectiveId: string };
  let roomA: string;
  let roomB: string;
  const clients: LiveClient[] = [];
  let day = 1;

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock('2027-02-25T10:00:00+01:00') });
    house = new HouseBuilder(t);
    const steward = await house.steward();
    const spaces = new SpacesBuilder(t, steward.token);
    roomA = await spaces.resource();
    roomB = await spaces.resource();
    member = await house.member();
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => t.close());

  const live = async (token = member.token, app = t) => {
    const client = await connectLive(app.baseUrl, token);
    clients.push(client);
    return client;
  };

  /** Why the server closed the socket, or 'still open' after 2 s. */
  const disconnection = (client: LiveClient) =>
    Promise.race([new Promise((resolve) => client.socket.once('disconnect', resolve)), new Promise((resolve) => setTimeout(() => resolve('still open'), 2000))]);

  /** A booking on a fresh day, so that bookings never collide. */
  async function bookSomething(resourceId = roomA, app = t): Promise<string> {
    const d = String(day++).padStart(2, '0');
    const data = await app.gqlOk(BOOK, { input: { resourceId, collectiveId: member.collectiveId, title: `Live ${d}`, startsAt: `2027-03-${d}T10:00:00+01:00`, endsAt: `2027-03-${d}T11:00:00+01:00` } }, member.token);
    return data.book[0].id;
  }

  it('refuses a connection without a valid token with UNAUTHENTICATED', async () => {
    for (const auth of [{ token: 'forged' }, {}]) {
      const socket = io(`${t.baseUrl}/live`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('UNAUTHENTICATED');
      socket.disconnect();
    }
  });

  it('acknowledges a subscription with the current seq and pushes committed bookings', async () => {
    const client = await live();
    const ack = await client.subscribe();
    expect(ack).toEqual({ ok: true, seq: expect.any(Number) });
    const id = await bookSomething();
    const [event] = await client.waitFor(1);
    expect(event.name).toBe('booking.changed');
    expect(event.body.seq).toBeGreaterThan(ack.seq);
    expect(event.body.booking).toEqual({
      id, resourceId: roomA, collectiveId: member.collectiveId, collectiveName: expect.any(String), title: expect.stringMatching(/^Live/),
      startsAt: expect.stringMatching(/T10:00:00\+01:00$/), endsAt: expect.stringMatching(/T11:00:00\+01:00$/), status: 'CONFIRMED', seriesId: null,
    });
  });

  it('sends only the resources asked for, and nothing about persons (an auditor listening)', async () => {
    const auditor = await house.auditor();
    const client = await live(auditor.token);
    await client.subscribe({ resourceIds: [roomB] });
    await bookSomething(roomA);
    const idB = await bookSomething(roomB);
    const events = await client.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.map((e) => e.body.booking.id)).toEqual([idB]);
    expect(JSON.stringify(events)).not.toMatch(/bookedBy|displayName|email|personId/);
  });

  it('takes resource ids however they are written (capitals name the same resource), live and replayed', async () => {
    const client = await live();
    const { seq } = await client.subscribe({ resourceIds: [roomB.toUpperCase()] });
    const id = await bookSomething(roomB);
    expect((await client.waitFor(1)).map((e) => e.body.booking.id)).toEqual([id]);
    const reconnected = await live();
    await reconnected.subscribe({ resourceIds: [roomB.toUpperCase()], since: seq });
    expect((await reconnected.waitFor(1)).map((e) => e.body.booking.id)).toEqual([id]);
  });

  it("closes an erased person's open sockets at once", async () => {
    const admin = await house.admin();
    const leaving = await house.steward();
    const client = await live(leaving.token);
    await client.subscribe();
    const closed = disconnection(client);
    await t.gqlOk(`mutation($id: ID!) { erasePerson(id: $id) { id } }`, { id: leaving.id }, admin.token);
    expect(await closed).toBe('io server disconnect');
  });

  it('checks the token and the roles again at every subscribe', async () => {
    const person = await house.member();
    const client = await live(person.token);
    expect((await client.subscribe()).ok).toBe(true);
    // Erased behind the app's back (no event): only the check at subscribe can notice.
    await t.sql(`UPDATE person SET erased_at = now() WHERE id = $1`, [person.id]);
    const closed = disconnection(client);
    expect(await client.subscribe()).toEqual({ ok: false, error: 'UNAUTHENTICATED' });
    expect(await closed).toBe('io server disconnect');
  });

  it('replays what a reconnecting client missed, in order and once, before new events', async () => {
    const first = await live();
    const { seq } = await first.subscribe();
    const seen = await bookSomething();
    await first.waitFor(1);
    const lastSeq = first.events[0].body.seq;
    expect(lastSeq).toBeGreaterThan(seq);
    first.close();

    const missed = [await bookSomething(), await bookSomething(), await bookSomething()];
    const again = await live();
    const ack = await again.subscribe({ since: lastSeq });
    expect(ack.ok).toBe(true);
    const after = await bookSomething();
    const events = await again.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.map((e) => e.body.booking.id)).toEqual([...missed, after]);
    expect(events.map((e) => e.body.booking.id)).not.toContain(seen);
    const seqs = events.map((e) => e.body.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('sends nothing for a change that rolled back', async () => {
    const client = await live();
    await client.subscribe();
    const taken = await bookSomething();
    const [{ body }] = await client.waitFor(1);
    const refused = await t.gql(BOOK, { input: { resourceId: roomA, collectiveId: member.collectiveId, title: 'Refused', startsAt: body.booking.startsAt, endsAt: body.booking.endsAt } }, member.token);
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    const next = await bookSomething();
    const events = await client.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.map((e) => e.body.booking.id)).toEqual([taken, next]);
    expect(events[1].body.seq).toBe(events[0].body.seq + 1);
  });

  it('pushes rules.changed when a house rule changes', async () => {
    const admin = await house.admin();
    const client = await live();
    await client.subscribe();
    await t.gqlOk(`mutation($r: ID) { setHouseRule(key: WEEKLY_QUOTA_MINUTES, resourceId: $r, value: 600) { value } }`, { r: roomB }, admin.token);
    const [event] = await client.waitFor(1);
    expect(event).toEqual({ name: 'rules.changed', body: { seq: expect.any(Number), rule: { key: 'WEEKLY_QUOTA_MINUTES', resourceId: roomB, value: 600 } } });
  });

  it('pushes resource.changed to every subscriber, those of other resources too, when a steward creates or edits a space', async () => {
    const steward = await house.steward();
    const spaces = new SpacesBuilder(t, steward.token);
    const zoneId = await spaces.zone();
    const client = await live();
    await client.subscribe({ resourceIds: [roomA] });
    const created = await spaces.resource({ name: `Salle live ${Date.now().toString(36)}`, zoneId });
    const { resource } = await t.gqlOk(
      `query($id: ID!) { resource(id: $id) { name kind capacity slotMinutes minMinutes maxMinutes bufferMinutes zone { id } openingHours { weekday opens closes } } }`,
      { id: created },
      steward.token,
    );
    const { zone, ...rest } = resource;
    await t.gqlOk(`mutation($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id } }`, { id: created, input: { ...rest, zoneId: zone.id, capacity: rest.capacity + 1 } }, steward.token);
    // The zone's own zone.changed may come too, when the stream broadcasts it after the client connected.
    expect(await client.waitForNamed('resource.changed', 2)).toEqual([
      { seq: expect.any(Number), resource: { id: created, change: 'created' } },
      { seq: expect.any(Number), resource: { id: created, change: 'updated' } },
    ]);
  });

  it('pushes zone.changed and qualification.changed to every subscriber when a steward creates, renames or translates a zone or a training', async () => {
    const steward = await house.steward();
    const client = await live();
    await client.subscribe({ resourceIds: [roomA] });
    const stamp = Date.now().toString(36);
    const { createZone: zone } = await t.gqlOk(`mutation($n: String!) { createZone(name: $n, openToMembersAnytime: false) { id } }`, { n: `Cour ${stamp}` }, steward.token);
    await t.gqlOk(
      `mutation($id: ID!, $n: String!, $names: [LocalizedNameInput!]) { updateZone(id: $id, name: $n, openToMembersAnytime: false, names: $names) { id } }`,
      { id: zone.id, n: `Cour ${stamp}`, names: [{ lang: 'ar', text: 'الساحة' }] },
      steward.token,
    );
    const { createQualification: training } = await t.gqlOk(`mutation($n: String!) { createQualification(name: $n) { id } }`, { n: `Soudure ${stamp}` }, steward.token);
    await t.gqlOk(`mutation($id: ID!, $n: String!) { updateQualification(id: $id, name: $n) { id } }`, { id: training.id, n: `Soudure à l'arc ${stamp}` }, steward.token);
    expect(await client.waitFor(4)).toEqual([
      { name: 'zone.changed', body: { seq: expect.any(Number), zone: { id: zone.id, change: 'created' } } },
      { name: 'zone.changed', body: { seq: expect.any(Number), zone: { id: zone.id, change: 'updated' } } },
      { name: 'qualification.changed', body: { seq: expect.any(Number), qualification: { id: training.id, change: 'created' } } },
      { name: 'qualification.changed', body: { seq: expect.any(Number), qualification: { id: training.id, change: 'updated' } } },
    ]);
  });

  it('delivers every event once to clients of each of two instances on one database', async () => {
    const second = await startTestApp({ clock: t.clock, databaseUrl: t.databaseUrl });
    try {
      const onFirst = await live(member.token, t);
      const onSecond = await live(member.token, second);
      await Promise.all([onFirst.subscribe(), onSecond.subscribe()]);
      const ids = [await bookSomething(roomA, t), await bookSomething(roomA, second)];
      for (const client of [onFirst, onSecond]) {
        await client.waitFor(2);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(client.events.map((e) => e.body.booking.id)).toEqual(ids);
      }
    } finally {
      await second.close();
    }
  });
});

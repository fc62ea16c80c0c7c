import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EventStream } from '../src/realtime/event-stream.service';
import { doorRequest } from './support/door-client';
import { HouseBuilder, TestPerson } from './support/house';
import { LiveClient, connectLive } from './support/live-client';
import { SpacesBuilder } from './support/spaces';
import { TestApp, startTestApp } from './support/test-app';

/**
 * Door decisions are the busiest writes of the house and only the stewards' live list shows
 * them: they wake no instance through PostgreSQL (migration 013). The instance that records
 * them wakes its own reader when a steward watches there; other instances read them with the
 * next change (or poll), in seq order, none lost.
 */
describe('door decisions wake only the instance that records them', () => {
  let a: TestApp;
  let b: TestApp;
  let steward: TestPerson;
  let house: HouseBuilder;
  let spaces: SpacesBuilder;
  let door: { id: string; secret: string };
  const clients: LiveClient[] = [];
  const originalPoll = EventStream.pollMs;

  beforeAll(async () => {
    // No poll during these tests: what reaches an instance came from a notification or from its own wake.
    EventStream.pollMs = 3_600_000;
    a = await startTestApp();
    b = await startTestApp({ databaseUrl: a.databaseUrl });
    house = new HouseBuilder(a);
    steward = await house.steward();
    spaces = new SpacesBuilder(a, steward.token);
    const zone = await spaces.zone(true);
    const registered = await a.gqlOk(`mutation($z: ID!) { registerDoor(name: "Entrée", zoneId: $z) { secret door { id } } }`, { z: zone }, steward.token);
    door = { id: registered.registerDoor.door.id, secret: registered.registerDoor.secret };
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(async () => {
    await b.close();
    await a.close();
    EventStream.pollMs = originalPoll;
  });

  const signed = (path: string, body: string) => doorRequest({ baseUrl: a.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path, body, timestamp: Date.now() });
  const decide = async (badgeUid: string): Promise<string> => {
    const answer = await signed('/access/v1/decisions', JSON.stringify({ badgeUid }));
    expect(answer.status).toBe(200);
    return answer.body.eventId;
  };
  const uploadOffline = async (badgeUid: string): Promise<string> => {
    const id = randomUUID();
    const event = { id, badgeUid, at: new Date(Date.now() - 60_000).toISOString(), decision: 'DENY', reason: 'UNKNOWN_BADGE' };
    expect((await signed('/access/v1/events', JSON.stringify({ events: [event] }))).body).toEqual({ accepted: 1, duplicates: 0 });
    return id;
  };
  const seqOf = async (eventId: string): Promise<number> =>
    (await a.sql(`SELECT seq::int AS seq FROM event_log WHERE type = 'access.decided' AND payload->>'eventId' = $1`, [eventId]))[0].seq;
  const live = async (app: TestApp) => {
    const client = await connectLive(app.baseUrl, steward.token);
    clients.push(client);
    await client.subscribe();
    return client;
  };

  it('notifies PostgreSQL listeners of changes, not of door decisions, online or uploaded', async () => {
    const listener = new Client({ connectionString: a.databaseUrl });
    await listener.connect();
    try {
      const notified: number[] = [];
      listener.on('notification', (notification) => notified.push(Number(notification.payload)));
      await listener.query('LISTEN event_log');

      const decisionSeqs = [await seqOf(await decide('ABCDEF01')), await seqOf(await uploadOffline('ABCDEF02'))];
      await spaces.zone(false);
      const [{ seq: changeSeq }] = await a.sql(`SELECT max(seq)::int AS seq FROM event_log`);
      // Notifications arrive in commit order: once the change's has come, a decision's would have come before it.
      const deadline = Date.now() + 10_000;
      while (!notified.includes(changeSeq) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(notified).toContain(changeSeq);
      expect(notified.filter((seq) => seq <= Math.max(...decisionSeqs))).toEqual([]);
    } finally {
      await listener.end();
    }
  });

  it("reaches a steward watching on the deciding instance at once, and another instance's with the next change, in order", async () => {
    const onA = await live(a);
    const onB = await live(b);
    // Each awaited before the next, so that one's wake does not deliver the other.
    const online = await decide('ABCDEF03');
    expect((await onA.waitFor(1, 10_000)).map((e) => e.body.event.id)).toEqual([online]);
    const offline = await uploadOffline('ABCDEF04');
    const seen = await onA.waitFor(2, 10_000);
    expect(seen.map((e) => [e.name, e.body.event.id])).toEqual([
      ['access.decided', online],
      ['access.decided', offline],
    ]);
    // Nothing told the other instance.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(onB.events).toEqual([]);

    const zoneId = await spaces.zone(false);
    const delivered = await onB.waitFor(3, 10_000);
    expect(delivered.map((e) => [e.name, e.name === 'access.decided' ? e.body.event.id : e.body.zone?.id])).toEqual([
      ['access.decided', online],
      ['access.decided', offline],
      ['zone.changed', zoneId],
    ]);
    expect(delivered.map((e) => e.body.seq)).toEqual([...delivered.map((e) => e.body.seq)].sort((x, y) => x - y));
  });
});

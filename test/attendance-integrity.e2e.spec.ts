import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { ACCESS_RETENTION_JOB } from '../src/access/access.jobs';
import { Scheduler } from '../src/database/scheduler';
import { doorRequest } from './support/door-client';
import { HouseBuilder, TestPerson } from './support/house';
import { holding, lockWaiters } from './support/lock-waits';
import { SpacesBuilder } from './support/spaces';
import { ManualClock, TestApp, errorCodes, startTestApp } from './support/test-app';

/**
 * What the City counts stays right when retention, erasure and late door uploads meet, and
 * when its reports are asked in unusual but valid ways.
 */
describe('attendance and reports under concurrency and odd input', () => {
  let t: TestApp;
  let clock: ManualClock;
  let house: HouseBuilder;
  let steward: TestPerson;
  let otherSteward: TestPerson;
  let auditor: TestPerson;
  let door: { id: string; secret: string };
  let rooms: string[];
  let uidCounter = 0x5000;

  beforeAll(async () => {
    clock = new ManualClock('2027-03-01T10:00:00+01:00');
    t = await startTestApp({ clock });
    house = new HouseBuilder(t);
    steward = await house.steward();
    otherSteward = await house.steward();
    auditor = await house.auditor();
    const spaces = new SpacesBuilder(t, steward.token);
    const zone = await spaces.zone(true);
    rooms = [await spaces.resource({ name: 'Salle A', zoneId: zone }), await spaces.resource({ name: 'Salle B', zoneId: zone }), await spaces.resource({ name: 'Salle C', zoneId: zone })];
    const registered = await t.gqlOk(`mutation($z: ID!) { registerDoor(name: "Entrée", zoneId: $z) { secret door { id } } }`, { z: zone }, steward.token);
    door = { id: registered.registerDoor.door.id, secret: registered.registerDoor.secret };
  });
  afterAll(() => t.close());

  async function memberWithBadge(): Promise<TestPerson & { uid: string }> {
    const member = await house.member();
    const uid = `0AB0${(uidCounter++).toString(16).toUpperCase()}`;
    await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: member.id, u: uid }, steward.token);
    return { ...member, uid };
  }

  const signed = (path: string, body: string) => doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path, body, timestamp: clock.now().getTime() });
  const enter = async (uid: string, at: string) => {
    clock.set(at);
    expect((await signed('/access/v1/decisions', JSON.stringify({ badgeUid: uid }))).body.decision).toBe('ALLOW');
  };
  const uploadEntry = async (uid: string, at: string) => {
    const body = JSON.stringify({ events: [{ id: randomUUID(), badgeUid: uid, at, decision: 'ALLOW', reason: 'ANYTIME' }] });
    expect((await signed('/access/v1/events', body)).body).toEqual({ accepted: 1, duplicates: 0 });
  };
  const attendanceOn = async (day: string, nextDay: string) =>
    (await t.gqlOk(`query($f: DateTime!, $t: DateTime!) { attendance(from: $f, to: $t, granularity: DAY) { uniqueVisitors entries } }`, { f: day, t: nextDay }, auditor.token)).attendance[0];
  const purge = () => t.app.get(Scheduler).runNow(ACCESS_RETENTION_JOB);

  it('counts an entry a door uploads while retention runs, once, and keeps it until it is counted', async () => {
    const member = await memberWithBadge();
    clock.set('2027-03-02T08:00:00+01:00');
    await uploadEntry(member.uid, '2027-03-02T08:00:00+01:00');
    clock.set('2027-07-01T12:00:00+02:00');
    await purge();
    const day = ['2027-03-02T00:00:00+01:00', '2027-03-03T00:00:00+01:00'] as const;
    expect(await attendanceOn(...day)).toEqual({ uniqueVisitors: 1, entries: 1 });

    // A door back online uploads an older entry; retention starts and waits on the day's count
    // (held here as a concurrent purge or erasure would), and the door uploads one more meanwhile.
    await uploadEntry(member.uid, '2027-03-02T09:00:00+01:00');
    const dayCount = await holding(t, `SELECT * FROM attendance_visit WHERE day = '2027-03-02' FOR UPDATE`);
    const running = purge();
    await lockWaiters(t, 1);
    await uploadEntry(member.uid, '2027-03-02T10:00:00+01:00');
    await dayCount.release();
    await running;
    expect(await attendanceOn(...day)).toEqual({ uniqueVisitors: 1, entries: 3 });
    await purge();
    expect(await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE person_id = $1`, [member.id])).toEqual([{ n: 0 }]);
    expect(await attendanceOn(...day)).toEqual({ uniqueVisitors: 1, entries: 3 });
  });

  it('counts an entry once when the door uploads it again after retention counted and deleted it', async () => {
    const member = await memberWithBadge();
    clock.set('2027-03-05T09:00:00+01:00');
    const entry = { id: randomUUID(), badgeUid: member.uid, at: '2027-03-05T08:00:00+01:00', decision: 'ALLOW', reason: 'ANYTIME' };
    const upload = () => signed('/access/v1/events', JSON.stringify({ events: [entry] }));
    expect((await upload()).body).toEqual({ accepted: 1, duplicates: 0 });
    const day = ['2027-03-05T00:00:00+01:00', '2027-03-06T00:00:00+01:00'] as const;
    clock.set('2027-07-05T12:00:00+02:00');
    await purge();
    expect(await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE id = $1`, [entry.id])).toEqual([{ n: 0 }]);
    expect(await attendanceOn(...day)).toEqual({ uniqueVisitors: 1, entries: 1 });

    // A door that never heard the answer (a long outage) sends the same decision again.
    const logBefore = await t.sql(`SELECT count(*)::int AS n FROM event_log`);
    expect((await upload()).body).toEqual({ accepted: 0, duplicates: 1 });
    await purge();
    expect(await attendanceOn(...day)).toEqual({ uniqueVisitors: 1, entries: 1 });
    expect(await t.sql(`SELECT count(*)::int AS n FROM event_log`)).toEqual(logBefore);
  });

  it('counts an entry once when the door uploads it again at the very moment retention moves it', async () => {
    const member = await memberWithBadge();
    clock.set('2027-03-08T09:00:00+01:00');
    await uploadEntry(member.uid, '2027-03-08T07:00:00+01:00');
    const day = ['2027-03-08T00:00:00+01:00', '2027-03-09T00:00:00+01:00'] as const;
    clock.set('2027-07-08T12:00:00+02:00');
    await purge(); // the day's count exists from now on: a later retention updates it
    clock.set('2027-03-08T09:00:00+01:00');
    const entry = { id: randomUUID(), badgeUid: member.uid, at: '2027-03-08T08:00:00+01:00', decision: 'ALLOW', reason: 'ANYTIME' };
    const upload = () => signed('/access/v1/events', JSON.stringify({ events: [entry] }));
    expect((await upload()).body).toEqual({ accepted: 1, duplicates: 0 });

    // Retention deletes the entry and waits on the day's count, held here; the door, which
    // never heard the answer, uploads the entry again and waits on retention's delete.
    clock.set('2027-07-08T12:00:00+02:00');
    const dayCount = await holding(t, `SELECT * FROM attendance_visit WHERE day = '2027-03-08' FOR UPDATE`);
    const running = purge();
    await lockWaiters(t, 1);
    const again = upload();
    await lockWaiters(t, 2);
    await dayCount.release();
    await running;
    const response = await again;
    expect(response.body).toEqual({ accepted: 0, duplicates: 1 });
    await purge();
    expect(await t.sql(`SELECT count(*)::int AS n FROM access_event WHERE id = $1`, [entry.id])).toEqual([{ n: 0 }]);
    expect(await attendanceOn(...day)).toEqual({ uniqueVisitors: 1, entries: 2 });
  });

  it('counts a leaver\'s entries once when retention runs during their erasure', async () => {
    clock.set('2027-03-03T07:00:00+01:00');
    const leaver = await memberWithBadge();
    await enter(leaver.uid, '2027-03-03T08:00:00+01:00');
    await enter(leaver.uid, '2027-03-03T18:00:00+01:00');
    const day = ['2027-03-03T00:00:00+01:00', '2027-03-04T00:00:00+01:00'] as const;
    expect(await attendanceOn(...day)).toEqual({ uniqueVisitors: 1, entries: 2 });

    clock.set('2027-07-02T12:00:00+02:00'); // 3 March is past retention, not purged yet
    const personRow = await holding(t, `SELECT 1 FROM person WHERE id = $1 FOR UPDATE`, [leaver.id]);
    const erasure = t.gql(`mutation($id: ID!) { erasePerson(id: $id) { id } }`, { id: leaver.id }, steward.token);
    await lockWaiters(t, 1);
    // Retention runs now, through to its end or until it waits on the erasure's uncommitted rows.
    let purged = false;
    const running = purge().then(() => (purged = true));
    while (!purged && (await t.sql(`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.datname = current_database() AND NOT l.granted`))[0].n < 2) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await personRow.release();
    expect(errorCodes(await erasure)).toEqual([]);
    await running;
    expect(await attendanceOn(...day)).toEqual({ uniqueVisitors: 1, entries: 2 });
  });

  it('erases a person once when two stewards erase them at the same moment', async () => {
    const leaver = await memberWithBadge();
    await enter(leaver.uid, '2027-07-03T09:00:00+02:00');
    const personRow = await holding(t, `SELECT 1 FROM person WHERE id = $1 FOR UPDATE`, [leaver.id]);
    const erase = (by: TestPerson) => t.gql(`mutation($id: ID!) { erasePerson(id: $id) { id } }`, { id: leaver.id }, by.token);
    const both = [erase(steward), erase(otherSteward)];
    await lockWaiters(t, 2);
    await personRow.release();
    const codes = (await Promise.all(both)).map(errorCodes);
    expect(codes.flat()).toEqual(['INVALID_STATE']);
    expect(await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'person.erased' AND subject_id = $1`, [leaver.id])).toEqual([{ n: 1 }]);
  });

  it('filters occupancy.csv by every resourceIds given, repeated or comma-separated', async () => {
    const query = (filter: string) =>
      fetch(`${t.baseUrl}/reports/occupancy.csv?from=${encodeURIComponent('2027-03-01T00:00:00+01:00')}&to=${encodeURIComponent('2027-03-02T00:00:00+01:00')}&${filter}`, {
        headers: { authorization: `Bearer ${auditor.token}` },
      });
    const resourcesIn = async (response: Response) => {
      expect(response.status).toBe(200);
      const records: string[][] = parse(await response.text());
      return records.slice(1, -1).map((record) => record[0]).sort();
    };
    const chosen = [rooms[0], rooms[1]].sort();
    expect(await resourcesIn(await query(`resourceIds=${rooms[0]}&resourceIds=${rooms[1]}`))).toEqual(chosen);
    expect(await resourcesIn(await query(`resourceIds=${rooms[0]},${rooms[1]}`))).toEqual(chosen);
    const refused = await query(`resourceIds=${rooms[0]}&resourceIds=nope`);
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([400, 'BAD_USER_INPUT']);
  });

  it('answers 400, not 500, to an upload whose text holds half of a UTF-16 pair, and keeps nothing of it', async () => {
    const member = await memberWithBadge();
    clock.set('2027-07-04T10:00:00+02:00');
    const before = await t.sql(`SELECT (SELECT count(*) FROM access_event)::int AS events, (SELECT count(*) FROM event_log)::int AS log`);
    const body = `{"events":[{"id":"${randomUUID()}","badgeUid":"${member.uid}","at":"2027-07-04T09:00:00+02:00","decision":"ALLOW","reason":"ANYTIME\\ud800"}]}`;
    const response = await signed('/access/v1/events', body);
    expect([response.status, response.body.error]).toEqual([400, 'BAD_USER_INPUT']);
    expect(await t.sql(`SELECT (SELECT count(*) FROM access_event)::int AS events, (SELECT count(*) FROM event_log)::int AS log`)).toEqual(before);
  });
});

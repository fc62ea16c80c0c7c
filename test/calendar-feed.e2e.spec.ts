import ICAL from 'ical.js';
import { HouseBuilder } from './support/house';
import { BOOK, SpacesBuilder } from './support/spaces';
import { ManualClock, TestApp, startTestApp } from './support/test-app';

describe('private calendar feeds', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock('2027-02-25T10:00:00+01:00') });
  });
  afterAll(() => t.close());

  it('serves the collectives\' bookings as RFC 5545 text/calendar at a revocable secret URL', async () => {
    const house = new HouseBuilder(t);
    const steward = await house.steward();
    const room = await new SpacesBuilder(t, steward.token).resource({ name: 'Salle, "grande"; étage 1' });
    const member = await house.member();
    const stranger = await house.member();
    await t.gqlOk(BOOK, { input: { resourceId: room, collectiveId: member.collectiveId, title: 'Plénière, mensuelle; très longue description pour vérifier le pliage des lignes', startsAt: '2027-03-02T18:00:00+01:00', endsAt: '2027-03-02T21:00:00+01:00', rrule: 'FREQ=WEEKLY;COUNT=5' } }, member.token);
    await t.gqlOk(BOOK, { input: { resourceId: room, collectiveId: stranger.collectiveId, title: 'Not mine', startsAt: '2027-03-03T10:00:00+01:00', endsAt: '2027-03-03T11:00:00+01:00' } }, stranger.token);
    // A bare carriage return in a title must not end the line, and with it the event, for a strict reader.
    await t.gqlOk(BOOK, { input: { resourceId: room, collectiveId: member.collectiveId, title: 'Atelier\rEND:VEVENT', startsAt: '2027-04-10T10:00:00+02:00', endsAt: '2027-04-10T11:00:00+02:00' } }, member.token);

    const url = (await t.gqlOk(`mutation { resetCalendarFeed }`, {}, member.token)).resetCalendarFeed as string;
    expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{40,}\.ics$/);
    const path = new URL(url).pathname;
    const response = await fetch(`${t.baseUrl}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await response.text();
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);

    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(6);
    expect(events[0].summary).toBe('Plénière, mensuelle; très longue description pour vérifier le pliage des lignes · Salle, "grande"; étage 1');
    expect(events[0].location).toBe('Salle, "grande"; étage 1');
    expect(events[0].startDate.toJSDate().toISOString()).toBe('2027-03-02T17:00:00.000Z');
    expect(events[4].startDate.toJSDate().toISOString()).toBe('2027-03-30T16:00:00.000Z');
    expect(events.map((e) => e.summary)).not.toContain(expect.stringContaining('Not mine'));

    const newUrl = (await t.gqlOk(`mutation { resetCalendarFeed }`, {}, member.token)).resetCalendarFeed as string;
    expect((await fetch(`${t.baseUrl}${path}`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}${new URL(newUrl).pathname}`)).status).toBe(200);
    await t.gqlOk(`mutation { revokeCalendarFeed }`, {}, member.token);
    expect((await fetch(`${t.baseUrl}${new URL(newUrl).pathname}`)).status).toBe(404);
  });
});

import { DateTime } from 'luxon';
import { SITE_ZONE, formatInstant } from '../src/common/time/site-time';

/** luxon's own zone, without the site's offset cache: what the answers must equal. */
const BRUSSELS = 'Europe/Brussels';

/** Every 15 minutes (+1 ms in autumn, to leave the hour marks) over the three days around each DST change of 2027. */
function aroundDstChanges(): number[] {
  const instants: number[] = [];
  for (const [day, step] of [['2027-03-27T00:00:00Z', 15 * 60_000], ['2027-10-30T00:00:00Z', 15 * 60_000 + 1]] as const) {
    const start = Date.parse(day);
    for (let ms = start; ms < start + 3 * 86_400_000; ms += step) instants.push(ms);
  }
  return instants;
}

describe('formatInstant', () => {
  it('prints the Brussels offset exactly as luxon does, across both DST changes of 2027', () => {
    for (const ms of aroundDstChanges()) {
      expect(formatInstant(new Date(ms))).toBe(DateTime.fromMillis(ms, { zone: BRUSSELS }).toISO({ suppressMilliseconds: true }));
    }
    expect(formatInstant(new Date('2027-03-28T01:00:00Z'))).toBe('2027-03-28T03:00:00+02:00');
    expect(formatInstant(new Date('2027-03-28T00:59:59Z'))).toBe('2027-03-28T01:59:59+01:00');
  });
});

describe('SITE_ZONE', () => {
  it('gives the same local times, days and arithmetic as luxon in Europe/Brussels across both DST changes of 2027', () => {
    for (const ms of aroundDstChanges()) {
      const site = DateTime.fromMillis(ms, { zone: SITE_ZONE });
      const brussels = DateTime.fromMillis(ms, { zone: BRUSSELS });
      expect(site.toISO()).toBe(brussels.toISO());
      expect(site.startOf('day').toMillis()).toBe(brussels.startOf('day').toMillis());
      expect(site.plus({ days: 1 }).toMillis()).toBe(brussels.plus({ days: 1 }).toMillis());
      expect(site.toFormat('cccc d LLLL HH:mm ZZZZ')).toBe(brussels.toFormat('cccc d LLLL HH:mm ZZZZ'));
    }
  });

  it('resolves wall times as luxon does: the hour skipped in spring moves forward, the repeated hour in autumn resolves to its second pass', () => {
    for (const wall of ['2027-03-28T02:30:00', '2027-03-28T03:00:00', '2027-10-31T02:30:00', '2027-10-31T03:00:00', '2027-10-31T01:59:00']) {
      expect(DateTime.fromISO(wall, { zone: SITE_ZONE }).toISO()).toBe(DateTime.fromISO(wall, { zone: BRUSSELS }).toISO());
    }
    expect(DateTime.fromISO('2027-03-28T02:30:00', { zone: SITE_ZONE }).toISO()).toBe('2027-03-28T03:30:00.000+02:00');
    expect(DateTime.fromISO('2027-10-31T02:30:00', { zone: SITE_ZONE }).toISO()).toBe('2027-10-31T02:30:00.000+01:00');
  });
});

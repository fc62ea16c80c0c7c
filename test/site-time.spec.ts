import { DateTime } from 'luxon';
import { SITE_ZONE, formatInstant } from '../src/common/time/site-time';

describe('formatInstant', () => {
  it('prints the Brussels offset exactly as luxon does, across both DST changes of 2027', () => {
    const start = Date.parse('2027-03-27T00:00:00Z');
    for (let ms = start; ms < start + 3 * 86_400_000; ms += 15 * 60_000) {
      expect(formatInstant(new Date(ms))).toBe(DateTime.fromMillis(ms, { zone: SITE_ZONE }).toISO({ suppressMilliseconds: true }));
    }
    const autumn = Date.parse('2027-10-30T00:00:00Z');
    for (let ms = autumn; ms < autumn + 3 * 86_400_000; ms += 15 * 60_000 + 1) {
      expect(formatInstant(new Date(ms))).toBe(DateTime.fromMillis(ms, { zone: SITE_ZONE }).toISO({ suppressMilliseconds: true }));
    }
    expect(formatInstant(new Date('2027-03-28T01:00:00Z'))).toBe('2027-03-28T03:00:00+02:00');
    expect(formatInstant(new Date('2027-03-28T00:59:59Z'))).toBe('2027-03-28T01:59:59+01:00');
  });
});

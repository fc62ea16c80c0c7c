import { expandRecurrence, parseRRule } from '../src/bookings/recurrence';
import { AppError } from '../src/common/errors/app-error';

const expand = (rrule: string, start: string, end: string) =>
  expandRecurrence(parseRRule(rrule), new Date(start), new Date(end)).map((o) => [o.startsAt.toISOString(), o.endsAt.toISOString()]);

describe('RRULE expansion in Europe/Brussels wall time', () => {
  it('expands monthly rules by numbered weekday and by month day', () => {
    expect(expand('FREQ=MONTHLY;BYDAY=1MO;COUNT=3', '2027-03-01T18:00:00+01:00', '2027-03-01T21:00:00+01:00').map(([s]) => s)).toEqual([
      '2027-03-01T17:00:00.000Z', '2027-04-05T16:00:00.000Z', '2027-05-03T16:00:00.000Z',
    ]);
    expect(expand('FREQ=MONTHLY;BYDAY=-1FR;COUNT=2', '2027-01-29T10:00:00+01:00', '2027-01-29T11:00:00+01:00').map(([s]) => s)).toEqual([
      '2027-01-29T09:00:00.000Z', '2027-02-26T09:00:00.000Z',
    ]);
    // No 31 April or 31 June: those months are skipped, as RFC 5545 says.
    expect(expand('FREQ=MONTHLY;COUNT=3', '2027-03-31T10:00:00+02:00', '2027-03-31T11:00:00+02:00').map(([s]) => s.slice(0, 10))).toEqual([
      '2027-03-31', '2027-05-31', '2027-07-31',
    ]);
  });

  it('honours INTERVAL, BYDAY on weekly rules and an inclusive UNTIL', () => {
    expect(expand('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20270318', '2027-03-01T09:00:00+01:00', '2027-03-01T10:00:00+01:00').map(([s]) => s.slice(0, 10))).toEqual([
      '2027-03-01', '2027-03-04', '2027-03-15', '2027-03-18',
    ]);
    expect(expand('FREQ=DAILY;INTERVAL=3;COUNT=3', '2027-10-30T09:00:00+02:00', '2027-10-30T10:00:00+02:00').map(([s]) => s)).toEqual([
      '2027-10-30T07:00:00.000Z', '2027-11-02T08:00:00.000Z', '2027-11-05T08:00:00.000Z',
    ]);
  });

  it('keeps the wall-clock length across the autumn change and takes the first of a doubled hour', () => {
    expect(expand('FREQ=DAILY;COUNT=2', '2027-10-30T02:30:00+02:00', '2027-10-30T03:30:00+02:00')).toEqual([
      ['2027-10-30T00:30:00.000Z', '2027-10-30T01:30:00.000Z'],
      ['2027-10-31T00:30:00.000Z', '2027-10-31T02:30:00.000Z'],
    ]);
  });

  it('refuses what it does not support and series beyond a year or 100 occurrences', () => {
    const refuse = (rrule: string) => expect(() => expand(rrule, '2027-03-01T09:00:00+01:00', '2027-03-01T10:00:00+01:00')).toThrow(AppError);
    refuse('FREQ=YEARLY;COUNT=2');
    refuse('FREQ=WEEKLY;BYHOUR=9;COUNT=2');
    refuse('FREQ=WEEKLY;COUNT=101');
    refuse('FREQ=DAILY;COUNT=100;INTERVAL=4');
    refuse('FREQ=WEEKLY;UNTIL=20280302');
    refuse('FREQ=WEEKLY');
    refuse('FREQ=WEEKLY;COUNT=2;UNTIL=20270401');
    refuse('FREQ=WEEKLY;BYDAY=1MO;COUNT=2');
    refuse('garbage');
    expect(expand('RRULE:FREQ=DAILY;COUNT=100', '2027-03-01T09:00:00+01:00', '2027-03-01T10:00:00+01:00')).toHaveLength(100);
  });

  it('ends, with BAD_USER_INPUT, a rule that yields nothing after its first date, or nothing at all', () => {
    const refusal = (rrule: string, start: string, end: string) => {
      try {
        expand(rrule, start, end);
      } catch (error) {
        return error instanceof AppError ? error.code : error;
      }
      return 'expanded';
    };
    // Every 7th day must be a Monday, from a Tuesday: never. Every 12th month on the 30th, from February: never.
    expect(refusal('FREQ=DAILY;INTERVAL=7;BYDAY=MO;COUNT=3', '2027-03-02T09:00:00+01:00', '2027-03-02T10:00:00+01:00')).toBe('BAD_USER_INPUT');
    expect(refusal('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30;COUNT=3', '2027-02-10T09:00:00+01:00', '2027-02-10T10:00:00+01:00')).toBe('BAD_USER_INPUT');
    // UNTIL before the first occurrence: nothing to book is an error, not an empty success.
    expect(refusal('FREQ=WEEKLY;UNTIL=20270301', '2027-03-23T10:00:00+01:00', '2027-03-23T11:00:00+01:00')).toBe('BAD_USER_INPUT');
  });

  it('books the first occurrence exactly as asked, in the repeated autumn hour too', () => {
    expect(expand('FREQ=DAILY;COUNT=2', '2027-10-31T02:00:00+01:00', '2027-10-31T03:00:00+01:00')).toEqual([
      ['2027-10-31T01:00:00.000Z', '2027-10-31T02:00:00.000Z'],
      ['2027-11-01T01:00:00.000Z', '2027-11-01T02:00:00.000Z'],
    ]);
  });

  it('takes the days that match both BYDAY and BYMONTHDAY (Friday the 13th)', () => {
    expect(expand('FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=3', '2026-02-13T18:00:00+01:00', '2026-02-13T20:00:00+01:00').map(([s]) => s.slice(0, 10))).toEqual([
      '2026-02-13', '2026-03-13', '2026-11-13',
    ]);
  });
});

import { DateTime } from 'luxon';
import { AppError } from '../common/errors/app-error';
import { SITE_ZONE } from '../common/time/site-time';
import { WallTime, addWallMinutes, toWallTime, wallMinutesBetween, wallTimeToInstant } from '../common/time/wall-clock';

export const MAX_OCCURRENCES = 100;
export const MAX_SERIES_DAYS = 366;

type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY';
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  count: number | null;
  until: DateTime | null;
  byDay: Array<{ weekday: number; ordinal: number | null }>;
  byMonthDay: number[];
}

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

const bad = (message: string) => AppError.badInput(`Repetition rule: ${message}`);

/** Parses the RRULE subset the house uses: FREQ=DAILY/WEEKLY/MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL. */
export function parseRRule(text: string): RecurrenceRule {
  if (text.length > 300) throw bad('too long.');
  const body = text.trim().replace(/^RRULE:/i, '');
  const parts = new Map<string, string>();
  for (const part of body.split(';').filter(Boolean)) {
    const [name, value, ...rest] = part.split('=');
    if (!name || value === undefined || rest.length) throw bad(`"${part}" is not NAME=VALUE.`);
    const key = name.toUpperCase();
    if (parts.has(key)) throw bad(`${key} is given twice.`);
    parts.set(key, value.toUpperCase());
  }
  const supported = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'WKST']);
  for (const key of parts.keys()) if (!supported.has(key)) throw bad(`${key} is not supported.`);

  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') throw bad('FREQ must be DAILY, WEEKLY or MONTHLY.');
  const interval = parts.has('INTERVAL') ? Number(parts.get('INTERVAL')) : 1;
  if (!Number.isInteger(interval) || interval < 1 || interval > 366) throw bad('INTERVAL must be a whole number from 1.');
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : null;
  if (count !== null && (!Number.isInteger(count) || count < 1)) throw bad('COUNT must be a whole number from 1.');
  if (count !== null && count > MAX_OCCURRENCES) throw bad(`at most ${MAX_OCCURRENCES} occurrences.`);
  if (count !== null && parts.has('UNTIL')) throw bad('give COUNT or UNTIL, not both.');
  const until = parts.has('UNTIL') ? parseUntil(parts.get('UNTIL')!) : null;
  if (count === null && until === null) throw bad('give COUNT or UNTIL: a series must end.');

  const byDay = (parts.get('BYDAY')?.split(',') ?? []).map((token) => {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
    if (!match) throw bad(`BYDAY "${token}" is not a weekday like TU or 1TU.`);
    const ordinal = match[1] ? Number(match[1]) : null;
    if (ordinal !== null && (ordinal === 0 || Math.abs(ordinal) > 5 || freq !== 'MONTHLY')) throw bad(`BYDAY "${token}": numbered weekdays only with FREQ=MONTHLY.`);
    return { weekday: WEEKDAYS.indexOf(match[2]) + 1, ordinal };
  });
  const byMonthDay = (parts.get('BYMONTHDAY')?.split(',') ?? []).map((token) => {
    const day = Number(token);
    if (!Number.isInteger(day) || day === 0 || Math.abs(day) > 31) throw bad(`BYMONTHDAY "${token}" is not a day of the month.`);
    if (freq !== 'MONTHLY') throw bad('BYMONTHDAY only with FREQ=MONTHLY.');
    return day;
  });
  return { freq, interval, count, until, byDay, byMonthDay };
}

function parseUntil(value: string): DateTime {
  const utc = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (utc) {
    const [, y, mo, d, h, mi, s] = utc.map(Number);
    const until = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone: 'UTC' });
    if (until.isValid) return until;
  }
  const local = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?$/.exec(value);
  if (local) {
    const [, y, mo, d, h, mi, s] = local.map((v) => (v === undefined ? undefined : Number(v)));
    // A date alone includes that whole local day.
    const until = DateTime.fromObject({ year: y!, month: mo!, day: d!, hour: h ?? 23, minute: mi ?? 59, second: s ?? 59 }, { zone: SITE_ZONE });
    if (until.isValid) return until;
  }
  throw bad(`UNTIL "${value}" is not a date like 20270601 or 20270601T000000Z.`);
}

/**
 * The local dates of a rule, from the first one on, in order (DTSTART's date is always the
 * first), up to `last`: some rules yield nothing after the first date (every 7th day on a
 * Monday from a Tuesday), and a generator without an end would then never return.
 */
function* candidateDates(rule: RecurrenceRule, first: DateTime, last: DateTime): Generator<DateTime> {
  yield first;
  const weekdays = rule.byDay.map((d) => d.weekday);
  if (rule.freq === 'DAILY') {
    for (let day = first.plus({ days: rule.interval }); day <= last; day = day.plus({ days: rule.interval })) {
      if (weekdays.length === 0 || weekdays.includes(day.weekday)) yield day;
    }
    return;
  }
  if (rule.freq === 'WEEKLY') {
    const days = weekdays.length ? [...new Set(weekdays)].sort() : [first.weekday];
    for (let week = first.startOf('week'); week <= last; week = week.plus({ weeks: rule.interval })) {
      for (const weekday of days) {
        const day = week.plus({ days: weekday - 1 });
        if (day > first && day <= last) yield day;
      }
    }
    return;
  }
  for (let month = first.startOf('month'); month <= last; month = month.plus({ months: rule.interval })) {
    for (const day of monthDays(rule, month, first)) if (day > first && day <= last) yield day;
  }
}

function monthDays(rule: RecurrenceRule, month: DateTime, first: DateTime): DateTime[] {
  const length = month.daysInMonth!;
  let days: number[];
  const byDay = () =>
    rule.byDay.flatMap(({ weekday, ordinal }) => {
      const matching = Array.from({ length }, (_, i) => i + 1).filter((d) => month.set({ day: d }).weekday === weekday);
      if (ordinal === null) return matching;
      const picked = ordinal > 0 ? matching[ordinal - 1] : matching[matching.length + ordinal];
      return picked ? [picked] : [];
    });
  if (rule.byMonthDay.length) {
    days = rule.byMonthDay.map((d) => (d > 0 ? d : length + d + 1)).filter((d) => d >= 1 && d <= length);
    // Both given: the days that are both (Friday the 13th), as in RFC 5545.
    if (rule.byDay.length) {
      const weekdays = new Set(byDay());
      days = days.filter((d) => weekdays.has(d));
    }
  } else if (rule.byDay.length) {
    days = byDay();
  } else {
    // A month without DTSTART's day (the 31st in April) has no occurrence, as in RFC 5545.
    days = first.day <= length ? [first.day] : [];
  }
  return [...new Set(days)].sort((a, b) => a - b).map((d) => month.set({ day: d }));
}

/**
 * Expands a rule in Europe/Brussels wall time: every occurrence keeps the local start
 * time and the local length of the first one ("Tuesdays 18:00-21:00" stays so across DST).
 */
export function expandRecurrence(rule: RecurrenceRule, startsAt: Date, endsAt: Date): Occurrence[] {
  const firstStart = DateTime.fromJSDate(startsAt, { zone: SITE_ZONE });
  const startWall = toWallTime(firstStart);
  const wallLength = wallMinutesBetween(startWall, toWallTime(DateTime.fromJSDate(endsAt, { zone: SITE_ZONE })));
  const horizon = firstStart.plus({ days: MAX_SERIES_DAYS });
  if (rule.until && rule.until > horizon) throw bad('a series lasts at most one year.');

  const occurrences: Occurrence[] = [];
  for (const date of candidateDates(rule, firstStart.startOf('day'), horizon.startOf('day'))) {
    const wall: WallTime = { year: date.year, month: date.month, day: date.day, hour: startWall.hour, minute: startWall.minute };
    // The first occurrence is the time asked for, exactly (in the repeated autumn hour, its wall time names two instants).
    const start = occurrences.length === 0 ? firstStart : wallTimeToInstant(wall);
    if (rule.until && start > rule.until) break;
    if (start > horizon) throw bad('a series lasts at most one year.');
    // A start moved forward out of the spring-forward gap takes its whole occurrence with it.
    const movedByGap = start.hour !== wall.hour || start.minute !== wall.minute;
    const end =
      occurrences.length === 0 ? DateTime.fromJSDate(endsAt, { zone: SITE_ZONE }) : movedByGap ? start.plus({ minutes: wallLength }) : wallTimeToInstant(addWallMinutes(wall, wallLength));
    occurrences.push({ startsAt: start.toJSDate(), endsAt: end.toJSDate() });
    if (rule.count !== null && occurrences.length >= rule.count) break;
    if (occurrences.length > MAX_OCCURRENCES) throw bad(`at most ${MAX_OCCURRENCES} occurrences.`);
  }
  if (occurrences.length === 0) throw bad('UNTIL comes before the first occurrence.');
  if (rule.count !== null && occurrences.length < rule.count) throw bad(`these ${rule.count} occurrences do not fit in one year.`);
  return occurrences;
}

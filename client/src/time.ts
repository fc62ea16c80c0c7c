import { DateTime, Duration, Settings } from 'luxon';
import { intlLocale, lang, onLangChange, t } from './i18n';
import type { OpeningHours } from './types';

export const ZONE = 'Europe/Brussels';
Settings.defaultZone = ZONE;
Settings.defaultLocale = intlLocale();
onLangChange((l) => {
  Settings.defaultLocale = intlLocale(l);
});

export function dt(iso: string): DateTime {
  return DateTime.fromISO(iso, { zone: ZONE }).setLocale(intlLocale());
}

export function now(): DateTime {
  return DateTime.now().setZone(ZONE).setLocale(intlLocale());
}

/** Monday 00:00 local of the week holding d. */
export function weekStart(d: DateTime): DateTime {
  return d.setZone(ZONE).startOf('week');
}

/** An ISO instant with the Brussels offset, as the server wants it. */
export function toApi(d: DateTime): string {
  return d.setZone(ZONE).toISO({ suppressMilliseconds: true }) ?? '';
}

/** 24-hour clock in every language, as on the house's signs. */
/** Any luxon format options, in the chosen language. */
export function fmt(d: DateTime, opts: Intl.DateTimeFormatOptions): string {
  return d.setLocale(intlLocale()).toLocaleString(opts);
}

export function fmtTime(d: DateTime): string {
  return d.setLocale(intlLocale()).toLocaleString({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export function fmtDay(d: DateTime): string {
  return d.setLocale(intlLocale()).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' });
}

export function fmtShortDay(d: DateTime): string {
  return d.setLocale(intlLocale()).toLocaleString({ weekday: 'short', day: 'numeric' });
}

export function fmtDateTime(d: DateTime): string {
  return d.setLocale(intlLocale()).toLocaleString({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

export function fmtDate(d: DateTime): string {
  return d.setLocale(intlLocale()).toLocaleString(DateTime.DATE_MED);
}

/** Left-to-Right Isolate: a time range reads "10:00 – 12:00" in Arabic too, not "12:00 – 10:00". */
const LRI = '\u2066';
const PDI = '\u2069';

export function fmtRange(a: DateTime, b: DateTime): string {
  // No line break inside: a no-break space before the dash, a word joiner after it (a break
  // after a dash is allowed even before a no-break space).
  return `${LRI}${fmtTime(a)}\u00a0–\u2060\u00a0${fmtTime(b)}${PDI}`;
}

/**
 * Whether [a, b) is told with its days: it reaches into another calendar day (an end at
 * midnight belongs to the day before), or lasts a whole day or more (00:00 – 00:00 says nothing).
 */
export function spansDays(a: DateTime, b: DateTime): boolean {
  return b.toMillis() - a.toMillis() >= 86_400_000 || b.minus({ milliseconds: 1 }).startOf('day') > a.startOf('day');
}

const FSI = '\u2068';

/** "lundi 3 mars, 10:00 – 12:00", with the separator of the language ("،" in Arabic); both days when it spans several. */
export function fmtWhen(a: DateTime, b: DateTime): string {
  if (!spansDays(a, b)) return t('time.dayRange', { day: fmtDay(a), range: fmtRange(a, b) });
  const at = (d: DateTime) => `${FSI}${t('time.dayRange', { day: fmtDay(d), range: fmtTime(d) })}${PDI}`;
  return t('time.span', { from: at(a), to: at(b) });
}

/** "10:00 – 12:00", or "30 nov. 00:00 – 7 déc. 00:00" when it spans several days: for small places. */
export function fmtSpan(a: DateTime, b: DateTime): string {
  if (!spansDays(a, b)) return fmtRange(a, b);
  const at = (d: DateTime) => `${FSI}${fmt(d, { day: 'numeric', month: 'short' })} ${fmtTime(d)}${PDI}`;
  return t('time.span', { from: at(a), to: at(b) });
}

/** "lundi 3 mars à 20:45", for a deadline or a limit. */
export function fmtDayTime(d: DateTime): string {
  return t('time.dayAt', { day: fmtDay(d), time: fmtTime(d) });
}

/** "2 h 30 min" style, localised by Intl. */
export function fmtMinutes(min: number, display: 'short' | 'long' = 'short'): string {
  const loc = intlLocale();
  const h = Math.floor(min / 60);
  const m = min % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(new Intl.NumberFormat(loc, { style: 'unit', unit: 'hour', unitDisplay: display }).format(h));
  if (m > 0 || h === 0)
    parts.push(new Intl.NumberFormat(loc, { style: 'unit', unit: 'minute', unitDisplay: display }).format(m));
  return parts.join(' ');
}

/** The days [a, b) covers, for a booking by the day: "30 nov.", or "30 nov. – 2 déc." (the last day it holds). */
export function fmtDays(a: DateTime, b: DateTime): string {
  const last = b.minus({ milliseconds: 1 });
  const day = (d: DateTime) => `${FSI}${fmt(d, { day: 'numeric', month: 'short' })}${PDI}`;
  return last.hasSame(a, 'day') ? day(a) : t('time.span', { from: day(a), to: day(last) });
}

/** A booking's length: "3 heures", or "7 jours" for a locker taken by the day. */
export function fmtLength(min: number, display: 'short' | 'long' = 'long'): string {
  if (min < 1440) return fmtMinutes(min, display);
  const days = Math.floor(min / 1440);
  const rest = min % 1440;
  const d = new Intl.NumberFormat(intlLocale(), { style: 'unit', unit: 'day', unitDisplay: display }).format(days);
  return rest ? `${d} ${fmtMinutes(rest, display)}` : d;
}

export function fmtUnit(n: number, unit: 'hour' | 'minute' | 'day' | 'week' | 'percent', display: 'short' | 'long' = 'long'): string {
  if (unit === 'percent') return new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 1 }).format(n / 100);
  return new Intl.NumberFormat(intlLocale(), { style: 'unit', unit, unitDisplay: display, maximumFractionDigits: 1 }).format(n);
}

export function fmtNumber(n: number, opts?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale(), opts).format(n);
}

export function fmtMoney(cents: number): string {
  return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** "in 3 days", "2 hours ago", in the chosen language. */
export function fmtRelative(d: DateTime): string {
  if (Math.abs(d.toMillis() - Date.now()) < 60_000) return t('time.justNow');
  return d.setLocale(intlLocale()).toRelative({ locale: intlLocale() }) ?? '';
}

/** Time left until d as "2 days 3 hours" (largest two units). */
export function fmtLeft(d: DateTime): string {
  const ms = d.toMillis() - Date.now();
  if (ms <= 0) return '';
  const dur = Duration.fromMillis(ms).shiftTo('days', 'hours', 'minutes');
  const loc = intlLocale();
  const out: string[] = [];
  const f = (n: number, unit: 'day' | 'hour' | 'minute') =>
    new Intl.NumberFormat(loc, { style: 'unit', unit, unitDisplay: 'long' }).format(n);
  if (dur.days >= 1) {
    out.push(f(Math.floor(dur.days), 'day'));
    if (Math.floor(dur.hours) > 0) out.push(f(Math.floor(dur.hours), 'hour'));
  } else if (dur.hours >= 1) {
    out.push(f(Math.floor(dur.hours), 'hour'));
    if (Math.floor(dur.minutes) > 0) out.push(f(Math.floor(dur.minutes), 'minute'));
  } else {
    out.push(f(Math.max(1, Math.ceil(dur.minutes)), 'minute'));
  }
  return out.join(' ');
}

/** Minutes after local midnight of "HH:mm" ("24:00" is 1440). */
export function hm(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return h * 60 + (m || 0);
}

/** Open intervals (minutes after local midnight) of a day, by its ISO weekday. */
export function openIntervals(hours: OpeningHours[], weekday: number): [number, number][] {
  return hours
    .filter((o) => o.weekday === weekday)
    .map((o) => [hm(o.opens), hm(o.closes) === 0 ? 1440 : hm(o.closes)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
}

/** Minutes after local midnight of a local instant, on the wall clock. */
export function wallMinutes(d: DateTime): number {
  return d.hour * 60 + d.minute;
}

export function weekdayNames(): string[] {
  const base = DateTime.fromObject({ year: 2024, month: 1, day: 1 }, { zone: ZONE }); // a Monday
  return Array.from({ length: 7 }, (_, i) =>
    base.plus({ days: i }).setLocale(intlLocale()).toLocaleString({ weekday: 'short' }),
  );
}

export { DateTime, lang };

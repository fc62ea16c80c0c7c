import { DateTime } from 'luxon';
import { SITE_ZONE } from '../common/time/site-time';

export interface WeeklyOpening {
  weekday: number;
  opensMinute: number;
  closesMinute: number;
}

export interface Interval {
  start: Date;
  end: Date;
}

export function parseClock(value: string, allowMidnightEnd: boolean): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (allowMidnightEnd && hours === 24 && minutes === 0) return 1440;
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The instant of a local wall-clock minute of a local date; minute 1440 is the next midnight. */
export function localMinuteToInstant(date: DateTime, minute: number): DateTime {
  const day = date.setZone(SITE_ZONE).startOf('day');
  if (minute >= 1440) return day.plus({ days: 1 }).startOf('day');
  // In the spring-forward gap luxon moves the time forward by the gap, as RFC 5545 does.
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone: SITE_ZONE });
}

/** Sorted, merged intervals; touching intervals become one (open until 24:00, open from 00:00). */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}

/** The instants the resource is open within [from, to), from its weekly local opening hours. */
export function openIntervals(hours: WeeklyOpening[], from: Date, to: Date): Interval[] {
  if (to <= from || hours.length === 0) return [];
  const raw: Interval[] = [];
  let day = DateTime.fromJSDate(from, { zone: SITE_ZONE }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromJSDate(to, { zone: SITE_ZONE }).startOf('day');
  while (day <= lastDay) {
    for (const opening of hours) {
      if (opening.weekday !== day.weekday) continue;
      raw.push({ start: localMinuteToInstant(day, opening.opensMinute).toJSDate(), end: localMinuteToInstant(day, opening.closesMinute).toJSDate() });
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return mergeIntervals(raw)
    .map((i) => ({ start: i.start < from ? from : i.start, end: i.end > to ? to : i.end }))
    .filter((i) => i.end > i.start);
}

export function isWithinOpening(hours: WeeklyOpening[], start: Date, end: Date): boolean {
  return openIntervals(hours, start, end).some((i) => i.start.getTime() === start.getTime() && i.end.getTime() === end.getTime());
}

/** [a] minus every interval of [holes]. */
export function subtractIntervals(base: Interval[], holes: Interval[]): Interval[] {
  let result = base.map((i) => ({ ...i }));
  for (const hole of mergeIntervals(holes)) {
    result = result.flatMap((i) => {
      if (hole.end <= i.start || hole.start >= i.end) return [i];
      const parts: Interval[] = [];
      if (hole.start > i.start) parts.push({ start: i.start, end: hole.start });
      if (hole.end < i.end) parts.push({ start: hole.end, end: i.end });
      return parts;
    });
  }
  return result;
}

import { DateTime } from 'luxon';
import { SITE_ZONE } from './site-time';

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * The instant of a local wall-clock time, as RFC 5545 §3.3.5 reads it: a time in the
 * spring-forward gap moves forward by the gap's length; a time that occurs twice
 * (autumn) is the first occurrence.
 */
export function wallTimeToInstant(wall: WallTime): DateTime {
  const candidate = DateTime.fromObject(wall, { zone: SITE_ZONE });
  const earlier = candidate.minus({ hours: 1 });
  if (earlier.hour === candidate.hour && earlier.minute === candidate.minute && earlier.day === candidate.day && earlier.offset !== candidate.offset) {
    return earlier;
  }
  return candidate;
}

/** Local wall-clock components of an instant. */
export function toWallTime(instant: DateTime): WallTime {
  const local = instant.setZone(SITE_ZONE);
  return { year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute };
}

/** Adds minutes of wall-clock time (18:00 + 180 min is 21:00 even across a DST change). */
export function addWallMinutes(wall: WallTime, minutes: number): WallTime {
  const naive = DateTime.fromObject(wall, { zone: 'UTC' }).plus({ minutes });
  return { year: naive.year, month: naive.month, day: naive.day, hour: naive.hour, minute: naive.minute };
}

export function wallMinutesBetween(from: WallTime, to: WallTime): number {
  return DateTime.fromObject(to, { zone: 'UTC' }).diff(DateTime.fromObject(from, { zone: 'UTC' }), 'minutes').minutes;
}

/**
 * Minutes between two instants on the local wall clock: a whole local day is 1440 on the
 * 23- and 25-hour days too, which is how people count a booking's length.
 */
export function wallMinutesBetweenInstants(from: Date, to: Date): number {
  return wallMinutesBetween(toWallTime(DateTime.fromJSDate(from)), toWallTime(DateTime.fromJSDate(to)));
}

/**
 * The first instant at or after `instant` (direction 1), or the last at or before it (-1),
 * whose local time of day is a multiple of `slotMinutes`. Grid times that do not exist
 * (the spring-forward gap) are skipped.
 */
export function roundToLocalGrid(instant: Date, slotMinutes: number, direction: 1 | -1): Date {
  const local = DateTime.fromJSDate(instant, { zone: SITE_ZONE });
  const midnight: WallTime = { ...toWallTime(local), hour: 0, minute: 0 };
  const minuteOfDay = local.hour * 60 + local.minute + (direction === 1 && (local.second || local.millisecond) ? 1 : 0);
  const round = direction === 1 ? Math.ceil : Math.floor;
  for (let target = round(minuteOfDay / slotMinutes) * slotMinutes; ; target += direction * slotMinutes) {
    const wall = addWallMinutes(midnight, target);
    const candidate = wallTimeToInstant(wall);
    const exists = candidate.hour === wall.hour && candidate.minute === wall.minute;
    if (exists && (direction === 1 ? candidate >= local : candidate <= local)) return candidate.toJSDate();
  }
}

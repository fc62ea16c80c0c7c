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

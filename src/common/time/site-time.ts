import { DateTime } from 'luxon';

/** The building's wall clock: opening hours, recurrences and report periods use it. */
export const SITE_ZONE = 'Europe/Brussels';

export function toSiteTime(instant: Date): DateTime {
  return DateTime.fromJSDate(instant, { zone: SITE_ZONE });
}

const HOUR_MS = 3_600_000;
const offsetByUtcHour = new Map<number, number>();

/** The site's UTC offset in minutes at an instant (Brussels changes offset only on the hour). */
export function siteOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByUtcHour.get(hour);
  if (offset === undefined) {
    if (offsetByUtcHour.size > 200_000) offsetByUtcHour.clear();
    offset = DateTime.fromMillis(hour * HOUR_MS, { zone: SITE_ZONE }).offset;
    offsetByUtcHour.set(hour, offset);
  }
  return offset;
}

/** ISO 8601 with the site's offset, e.g. 2027-03-02T18:00:00+01:00 (hot: every DateTime served). */
export function formatInstant(instant: Date): string {
  const ms = instant.getTime();
  const offset = siteOffsetMinutes(ms);
  const local = new Date(ms + offset * 60_000).toISOString();
  const body = local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${body}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export const MINUTE_MS = 60_000;

export function minutesBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / MINUTE_MS);
}

export function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * MINUTE_MS);
}

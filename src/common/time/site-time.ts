import { DateTime } from 'luxon';

/** The building's wall clock: opening hours, recurrences and report periods use it. */
export const SITE_ZONE = 'Europe/Brussels';

export function toSiteTime(instant: Date): DateTime {
  return DateTime.fromJSDate(instant, { zone: SITE_ZONE });
}

/** ISO 8601 with the site's offset, e.g. 2027-03-02T18:00:00+01:00. */
export function formatInstant(instant: Date): string {
  return toSiteTime(instant).toISO({ suppressMilliseconds: true })!;
}

export const MINUTE_MS = 60_000;

export function minutesBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / MINUTE_MS);
}

export function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * MINUTE_MS);
}

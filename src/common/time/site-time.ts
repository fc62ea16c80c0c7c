import { DateTime, IANAZone, Zone, ZoneOffsetFormat, ZoneOffsetOptions } from 'luxon';

const HOUR_MS = 3_600_000;

/**
 * Europe/Brussels, with its UTC offset remembered per UTC hour. Luxon asks Intl for the offset
 * of every instant it handles (formatToParts): ~5 % of a booking's CPU. Brussels changes
 * offset only on the hour, so one hour has one offset.
 */
class SiteZone extends Zone {
  private readonly zone = IANAZone.create('Europe/Brussels');
  private readonly offsetByUtcHour = new Map<number, number>();

  get type(): string {
    return 'iana';
  }

  get name(): string {
    return this.zone.name;
  }

  get isUniversal(): boolean {
    return false;
  }

  get isValid(): true {
    return true;
  }

  offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.zone.offsetName(ts, options);
  }

  formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.zone.formatOffset(ts, format);
  }

  offset(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    let offset = this.offsetByUtcHour.get(hour);
    if (offset === undefined) {
      if (this.offsetByUtcHour.size > 200_000) this.offsetByUtcHour.clear();
      offset = this.zone.offset(hour * HOUR_MS);
      this.offsetByUtcHour.set(hour, offset);
    }
    return offset;
  }

  equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }
}

/** The building's wall clock: opening hours, recurrences and report periods use it. */
export const SITE_ZONE: Zone = new SiteZone();

export function toSiteTime(instant: Date): DateTime {
  return DateTime.fromJSDate(instant, { zone: SITE_ZONE });
}

/** The site's UTC offset in minutes at an instant. */
export function siteOffsetMinutes(ms: number): number {
  return SITE_ZONE.offset(ms);
}

/** Instants already formatted: an agenda repeats the same slot boundaries many times. */
const formatted = new Map<number, string>();

/** ISO 8601 with the site's offset, e.g. 2027-03-02T18:00:00+01:00 (hot: every DateTime served). */
export function formatInstant(instant: Date): string {
  const ms = instant.getTime();
  let text = formatted.get(ms);
  if (text === undefined) {
    if (formatted.size >= 50_000) formatted.clear();
    text = formatWithOffset(ms);
    formatted.set(ms, text);
  }
  return text;
}

function formatWithOffset(ms: number): string {
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

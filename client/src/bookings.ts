import type { DateTime } from 'luxon';
import { NAMES } from './i18n';
import { ACTIVE_STATUSES, type Booking } from './types';

export const BOOKING_FIELDS = `id title startsAt endsAt status collective { id name } resource { id name ${NAMES} }
  bookedBy { id displayName } seriesId priceCents`;

/** Whether [a, b) overlaps [c, d). */
export function overlaps(a: number, b: number, c: number, d: number): boolean {
  return a < d && c < b;
}

/** The active booking that blocks [start, end) once both are extended by the buffer, if any. */
export function blockedBy(bookings: Booking[], resourceId: string, bufferMin: number, start: DateTime, end: DateTime): Booking | null {
  const buf = bufferMin * 60_000;
  const s = start.toMillis();
  const e = end.toMillis();
  for (const b of bookings) {
    if (b.resource.id !== resourceId || !ACTIVE_STATUSES.includes(b.status)) continue;
    if (overlaps(s, e + buf, Date.parse(b.startsAt), Date.parse(b.endsAt) + buf)) return b;
  }
  return null;
}

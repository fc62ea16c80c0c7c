import { BookingSnapshot } from '../audit/domain-events';
import { formatInstant } from '../common/time/site-time';
import { BookingEntity } from './booking.entity';

/** What the event log (and so live clients) learns of a booking: no person in it. */
export function bookingSnapshot(
  booking: Pick<BookingEntity, 'id' | 'resourceId' | 'collectiveId' | 'title' | 'startsAt' | 'endsAt' | 'status' | 'seriesId'>,
  collectiveName: string,
): BookingSnapshot {
  return {
    id: booking.id,
    resourceId: booking.resourceId,
    collectiveId: booking.collectiveId,
    collectiveName,
    title: booking.title,
    startsAt: formatInstant(booking.startsAt),
    endsAt: formatInstant(booking.endsAt),
    status: booking.status,
    seriesId: booking.seriesId,
  };
}

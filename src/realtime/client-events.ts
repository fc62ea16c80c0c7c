import { BookingSnapshot, LoggedEvent } from '../audit/domain-events';

/** What live clients receive on /live; every event carries the log's seq. */
export interface LiveEvents {
  'booking.changed': { seq: number; booking: Omit<BookingSnapshot, 'seriesId'> & { seriesId: string | null } };
  'proposal.changed': { seq: number; proposal: { id: string; status: string; turnout: number } };
  'rules.changed': { seq: number; rule: { key: string; resourceId: string | null; value: number } };
  /** A steward created or edited a space (its name, opening hours, grid...): calendars read it again. */
  'resource.changed': { seq: number; resource: { id: string; change: 'created' | 'updated' } };
  /** A zone or training was created, renamed, translated or (a zone) opened 24/7: pages that show it read it again. */
  'zone.changed': { seq: number; zone: { id: string; change: 'created' | 'updated' } };
  'qualification.changed': { seq: number; qualification: { id: string; change: 'created' | 'updated' } };
  /** A door was registered, renamed or translated, or retired: pages that name doors read them again. */
  'door.changed': { seq: number; door: { id: string; change: 'created' | 'updated' | 'retired' } };
  /** Stewards and admins only: a door decision, for the live list of today's entries. */
  'access.decided': { seq: number; event: { id: string; doorId: string; personId: string | null; decision: string; reason: string; at: string; bookingId: string | null; offline: boolean } };
}

export type LiveEventName = keyof LiveEvents;

export interface RoutedLiveEvent<K extends LiveEventName = LiveEventName> {
  name: K;
  body: LiveEvents[K];
  /** The resource a booking event concerns; clients may subscribe to some resources only. */
  resourceId: string | null;
  staffOnly?: boolean;
}

/** Translates a logged domain event into the live event clients see, if any. */
export function toLiveEvent(event: LoggedEvent): RoutedLiveEvent | null {
  const payload = event.payload as Record<string, any>;
  switch (event.type) {
    case 'booking.changed': {
      const booking = payload.booking as BookingSnapshot;
      return { name: 'booking.changed', body: { seq: event.seq, booking }, resourceId: booking.resourceId };
    }
    case 'rule.set':
      return { name: 'rules.changed', body: { seq: event.seq, rule: { key: payload.key, resourceId: payload.resourceId, value: payload.value } }, resourceId: null };
    case 'resource.created':
    case 'resource.updated':
      return { name: 'resource.changed', body: { seq: event.seq, resource: { id: event.subjectId!, change: event.type === 'resource.created' ? 'created' : 'updated' } }, resourceId: null };
    case 'zone.created':
    case 'zone.updated':
      return { name: 'zone.changed', body: { seq: event.seq, zone: { id: event.subjectId!, change: event.type === 'zone.created' ? 'created' : 'updated' } }, resourceId: null };
    case 'qualification.created':
    case 'qualification.updated':
      return { name: 'qualification.changed', body: { seq: event.seq, qualification: { id: event.subjectId!, change: event.type === 'qualification.created' ? 'created' : 'updated' } }, resourceId: null };
    case 'door.registered':
    case 'door.renamed':
    case 'door.retired': {
      const change = event.type === 'door.registered' ? 'created' : event.type === 'door.renamed' ? 'updated' : 'retired';
      return { name: 'door.changed', body: { seq: event.seq, door: { id: event.subjectId!, change } }, resourceId: null };
    }
    case 'access.decided': {
      const { eventId, doorId, decision, reason, at, bookingId, offline } = payload;
      const personId = event.accessPersonId ?? null;
      return { name: 'access.decided', body: { seq: event.seq, event: { id: eventId, doorId, personId, decision, reason, at, bookingId, offline } }, resourceId: null, staffOnly: true };
    }
    default:
      if (event.type.startsWith('proposal.') && payload.proposal) {
        return { name: 'proposal.changed', body: { seq: event.seq, proposal: payload.proposal }, resourceId: null };
      }
      return null;
  }
}

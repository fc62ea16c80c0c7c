import { LocalizedNames } from '../common/i18n/localized-names';

/**
 * Every state change appends one of these to the event log, in the transaction that
 * makes the change. Payloads hold ids and facts, never e-mails, passwords or badge uids.
 */
export interface BookingSnapshot {
  id: string;
  resourceId: string;
  collectiveId: string;
  collectiveName: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: string;
  seriesId: string | null;
}

/** Never a choice: ballots are secret; the turnout is public. */
export interface ProposalSnapshot {
  proposal: { id: string; status: string; turnout: number };
}

export interface DomainEvents {
  'person.created': { roles: string[] };
  'person.invite_redeemed': { replacedPassword: boolean };
  'person.invite_reset': { expiresAt: string };
  'collective.created': { name: string; form: string; tariffTier: string; publicListing: boolean };
  'membership.added': { personId: string; collectiveId: string; role: string; startsAt: string; endsAt: string | null };
  'membership.ended': { personId: string; collectiveId: string; endsAt: string };
  'qualification.created': { name: string; names: LocalizedNames };
  'qualification.updated': { name: string; names: LocalizedNames; changed: string[] };
  'qualification.granted': { personId: string; qualificationId: string; expiresAt: string | null };
  'qualification.revoked': { personId: string; qualificationId: string };
  'zone.created': { name: string; names: LocalizedNames; openToMembersAnytime: boolean };
  'zone.updated': { name: string; names: LocalizedNames; openToMembersAnytime: boolean; changed: string[] };
  'resource.created': { name: string; names: LocalizedNames; kind: string; zoneId: string };
  /** `changed` names the fields (the values are in the resource); previousZoneId when it moved. */
  'resource.updated': { name: string; names: LocalizedNames; kind: string; zoneId: string; previousZoneId?: string; changed: string[] };
  'rule.set': { key: string; resourceId: string | null; value: number; proposalId: string | null; previous: number | null };
  'booking.changed': { booking: BookingSnapshot; change: 'created' | 'cancelled' | 'approved' | 'checked_in' | 'no_show' | 'completed' | 'expired' };
  'calendar_feed.reset': Record<string, never>;
  'badge.issued': { personId: string };
  'badge.status_changed': { personId: string; status: string };
  'door.registered': { name: string; names: LocalizedNames; zoneId: string };
  /** `changed` lists 'name' and/or 'names'. */
  'door.renamed': { name: string; names: LocalizedNames; changed: string[] };
  /** Doors registered after the badge was issued learnt its key at its first online use since: their allowlists grow. */
  'badge.door_keys_learned': { doorIds: string[] };
  'door.retired': { name: string; zoneId: string };
  /**
   * No person and no badge: the log is kept for ever, while retention and erasure delete the
   * access event (eventId) that says whose badge it was.
   */
  'access.decided': { eventId: string; doorId: string; decision: 'ALLOW' | 'DENY'; reason: string; bookingId: string | null; at: string; offline: boolean };
  'access.purged': { before: string; deleted: number };
  'person.erased': Record<string, never>;
  /** One device (the token it used) or every device of the subject. */
  'person.signed_out': { everywhere: boolean };
  'proposal.created': ProposalSnapshot;
  'proposal.withdrawn': ProposalSnapshot;
  'proposal.commented': ProposalSnapshot;
  'proposal.ballot_cast': ProposalSnapshot;
  'proposal.voting_opened': ProposalSnapshot;
  'proposal.closed': ProposalSnapshot;
}

export type DomainEventType = keyof DomainEvents;

export interface AppendEvent<K extends DomainEventType = DomainEventType> {
  type: K;
  actorId: string | null;
  subjectType: string;
  subjectId: string | null;
  payload: DomainEvents[K];
}

export interface LoggedEvent {
  seq: number;
  at: Date;
  type: DomainEventType;
  actorId: string | null;
  subjectType: string;
  subjectId: string | null;
  payload: Record<string, unknown>;
  /** access.decided only, when the reader asked: the person of its access event, while retention and erasure keep that event. */
  accessPersonId?: string | null;
}

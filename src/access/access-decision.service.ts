import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { formatInstant } from '../common/time/site-time';
import { EventLogRepository } from '../audit/event-log.repository';
import { BookingsRepository } from '../bookings/bookings.repository';
import { BookingsService } from '../bookings/bookings.service';
import { QualificationsRepository } from '../identity/qualifications.repository';
import { Interval, mergeIntervals } from '../spaces/opening-hours';
import { AccessRepository, DoorWithSecret } from './access.repository';
import { BadgesService } from './badges.service';
import { Allowlist, AllowlistEntry, DecisionResponse, OfflineEvent, normalizeUid } from './door-protocol';

export type AccessReason =
  | 'UNKNOWN_BADGE'
  | 'BADGE_INACTIVE'
  | 'STAFF'
  | 'NO_MEMBERSHIP'
  | 'MEMBER_ANYTIME'
  | 'BOOKING_WINDOW'
  | 'QUALIFICATION_REQUIRED'
  | 'NO_BOOKING';

interface Decision {
  decision: 'ALLOW' | 'DENY';
  reason: AccessReason;
  badgeId: string | null;
  personId: string | null;
  bookingId: string | null;
}

const ALLOWLIST_HOURS = 24;

/** The door's decision for a badge, in the order DESIGN.md gives; every decision is logged. */
@Injectable()
export class AccessDecisionService {
  constructor(
    private readonly access: AccessRepository,
    private readonly badges: BadgesService,
    private readonly bookingRepository: BookingsRepository,
    private readonly bookings: BookingsService,
    private readonly qualifications: QualificationsRepository,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  /** Must run in a transaction: the access event, its log entry and any check-in commit together. */
  async decide(door: DoorWithSecret, normalizedUid: string): Promise<DecisionResponse> {
    const at = this.clock.now();
    const decision = await this.evaluate(door, normalizedUid, at);
    const eventId = randomUUID();
    await this.access.insertEvent({ id: eventId, doorId: door.id, badgeId: decision.badgeId, personId: decision.personId, at, decision: decision.decision, reason: decision.reason, bookingId: decision.bookingId });
    this.events.append({
      type: 'access.decided',
      actorId: null,
      subjectType: 'door',
      subjectId: door.id,
      payload: { eventId, doorId: door.id, badgeId: decision.badgeId, personId: decision.personId, decision: decision.decision, reason: decision.reason, bookingId: decision.bookingId, at: formatInstant(at), offline: false },
    });
    if (decision.reason === 'BOOKING_WINDOW' && decision.bookingId) {
      const booking = await this.bookingRepository.findById(decision.bookingId);
      if (booking && booking.status === 'CONFIRMED' && at < booking.endsAt) await this.bookings.checkInFromDoor(booking, decision.personId!);
    }
    return { decision: decision.decision, reason: decision.reason, eventId, ...(decision.bookingId ? { bookingId: decision.bookingId } : {}) };
  }

  private async evaluate(door: DoorWithSecret, uid: string, at: Date): Promise<Decision> {
    const holder = await this.access.holderOfUid(await this.badges.uidHash(uid), at);
    const deny = (reason: AccessReason, bookingId: string | null = null): Decision => ({ decision: 'DENY', reason, badgeId: holder?.badgeId ?? null, personId: holder?.personId ?? null, bookingId });
    const allow = (reason: AccessReason, bookingId: string | null = null): Decision => ({ decision: 'ALLOW', reason, badgeId: holder!.badgeId, personId: holder!.personId, bookingId });
    if (!holder) return deny('UNKNOWN_BADGE');
    if (holder.status !== 'ACTIVE') return deny('BADGE_INACTIVE');
    // The uid is at hand: doors registered since the badge was issued learn its key now.
    if (holder.missingDoorKeys) await this.badges.rememberDoorKeys(holder.badgeId, uid);
    if (holder.roles.includes('STEWARD') || holder.roles.includes('ADMIN')) return allow('STAFF');
    if (!holder.activeMember) return deny('NO_MEMBERSHIP');
    if (door.openToMembersAnytime) return allow('MEMBER_ANYTIME');
    const bookings = await this.access.bookingsOpeningZone(holder.personId, door.zoneId, at);
    let unqualified: string | null = null;
    for (const booking of bookings) {
      if (!booking.requiredQualificationId || (await this.qualifications.holds(holder.personId, booking.requiredQualificationId, at))) {
        return allow('BOOKING_WINDOW', booking.id);
      }
      unqualified ??= booking.id;
    }
    if (unqualified) return deny('QUALIFICATION_REQUIRED', unqualified);
    return deny('NO_BOOKING');
  }

  /** The door's decisions for the next 24 hours, for when the server or the network is down. */
  async allowlist(door: DoorWithSecret): Promise<Allowlist> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + ALLOWLIST_HOURS * 3_600_000);
    const candidates = await this.access.allowlistCandidates(door.id, now, until);
    const windowsByPerson = new Map<string, Interval[]>();
    const add = (personId: string, interval: Interval) => {
      const start = interval.start < now ? now : interval.start;
      const end = interval.end > until ? until : interval.end;
      if (end > start) windowsByPerson.set(personId, [...(windowsByPerson.get(personId) ?? []), { start, end }]);
    };
    if (door.openToMembersAnytime) {
      for (const c of candidates) for (const m of c.memberships) add(c.personId, { start: m.startsAt, end: m.endsAt ?? until });
    } else {
      const windows = await this.access.bookingWindows(door.zoneId, candidates.map((c) => c.personId), now, until);
      for (const w of windows) add(w.personId, { start: w.from, end: w.to });
    }
    const entries: AllowlistEntry[] = [];
    for (const c of candidates) {
      const staff = c.roles.includes('STEWARD') || c.roles.includes('ADMIN');
      const windows = mergeIntervals(windowsByPerson.get(c.personId) ?? []);
      const wholePeriod = windows.length === 1 && windows[0].start <= now && windows[0].end >= until;
      if (staff || (door.openToMembersAnytime && wholePeriod)) entries.push({ badgeKey: c.badgeKey, anytime: true });
      else if (windows.length) entries.push({ badgeKey: c.badgeKey, windows: windows.map((w) => ({ from: w.start.toISOString(), to: w.end.toISOString() })) });
    }
    entries.sort((a, b) => (a.badgeKey < b.badgeKey ? -1 : 1));
    return { doorId: door.id, generatedAt: now.toISOString(), validUntil: until.toISOString(), entries };
  }

  /** Decisions a door took alone while offline; idempotent on the event id. */
  async ingestOffline(door: DoorWithSecret, events: OfflineEvent[]): Promise<{ accepted: number; duplicates: number }> {
    let accepted = 0;
    for (const event of events) {
      const uid = normalizeUid(event.badgeUid)!;
      const holder = await this.access.holderOfUid(await this.badges.uidHash(uid), new Date(event.at));
      const at = new Date(event.at);
      const inserted = await this.access.insertEvent({ id: event.id, doorId: door.id, badgeId: holder?.badgeId ?? null, personId: holder?.personId ?? null, at, decision: event.decision, reason: event.reason, bookingId: null, offline: true });
      if (!inserted) continue;
      accepted++;
      this.events.append({
        type: 'access.decided',
        actorId: null,
        subjectType: 'door',
        subjectId: door.id,
        payload: { eventId: event.id, doorId: door.id, badgeId: holder?.badgeId ?? null, personId: holder?.personId ?? null, decision: event.decision, reason: event.reason, bookingId: null, at: formatInstant(at), offline: true },
      });
    }
    return { accepted, duplicates: events.length - accepted };
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/time/clock';
import { formatInstant } from '../common/time/site-time';
import { AppendEvent } from '../audit/domain-events';
import { EventLogRepository } from '../audit/event-log.repository';
import { Db } from '../database/db';
import { BookingsService } from '../bookings/bookings.service';
import { EventStream } from '../realtime/event-stream.service';
import { Interval, mergeIntervals } from '../spaces/opening-hours';
import { AccessEventEntity } from './access.entities';
import { DecisionInputs } from './access-snapshot';
import { AccessSnapshots } from './access-snapshots.service';
import { AccessRepository, BadgeHolder, DoorState, DoorWithSecret, WindowBooking } from './access.repository';
import { BadgesService } from './badges.service';
import { Allowlist, AllowlistEntry, DecisionResponse, MAX_CLOCK_SKEW_MS, OfflineEvent, RETIRED_DOOR, normalizeUid } from './door-protocol';

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
  /** On an ALLOW by booking: the person's CONFIRMED bookings, still running, that this entry checks in. */
  checkIns: string[];
}

export interface DecisionRequest {
  door: DoorWithSecret;
  /** Normalized. */
  uid: string;
  /** The request's signature, remembered to refuse a replay. */
  signature: string;
  /**
   * The door's own id for this decision (lower case), when it sent one: should the answer come
   * too late, the door decides offline and uploads the decision under the same id, and the
   * server, which recorded it already, counts the upload as a duplicate instead of a second entry.
   */
  eventId?: string;
}

const ALLOWLIST_HOURS = 24;

/** The door's decision for a badge, in the order DESIGN.md gives; every decision is logged. */
@Injectable()
export class AccessDecisionService {
  constructor(
    private readonly access: AccessRepository,
    private readonly badges: BadgesService,
    private readonly bookings: BookingsService,
    private readonly events: EventLogRepository,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly snapshots: AccessSnapshots,
    private readonly stream: EventStream,
  ) {}

  /**
   * Decides a batch of door requests in one transaction: for each, its replay check, its
   * decision, its access event and log entry, and any check-in it causes. Decisions come
   * from the in-memory snapshot when it is usable and are then recorded only if nothing they
   * read has changed since (else they are taken again from the database). A batch that
   * checks nothing in and teaches no door a badge key writes in a single statement. A
   * replayed request, or one from a retired door, gets its error instead of a decision and
   * writes nothing.
   */
  async decideAll(requests: DecisionRequest[]): Promise<Array<DecisionResponse | AppError>> {
    const at = this.clock.now();
    const uidHashes = await Promise.all(requests.map((r) => this.badges.uidHash(r.uid)));
    const snapshot = this.snapshots.usableAt(at);
    if (snapshot) {
      let stale = false;
      const answers = await this.atDoorsInService(snapshot, requests, uidHashes, async (open, hashes, doors) => {
        const evaluated = await this.evaluateAll(snapshot, open, hashes, doors, at);
        if (this.changesMore(evaluated)) return null;
        const recorded = this.toRecord(open, evaluated.decisions, at);
        const fresh = await this.access.recordDecisions(recorded, at, snapshot.lastChangeSeq);
        stale = fresh === 'stale';
        return fresh === 'stale' ? null : this.answers(recorded, fresh);
      });
      if (answers) return answers;
      if (stale) this.snapshots.drop(snapshot);
    }
    return (await this.atDoorsInService(this.access, requests, uidHashes, (open, hashes, doors) => this.decideFromDatabase(open, hashes, doors, at)))!;
  }

  /**
   * Refuses the requests of retired doors, as `inputs` sees them, and has `decide` answer the
   * others (or give up: null) with the doors' states as `inputs` sees them (their zone's hours).
   * These are as current as the decisions themselves: retiring a door and changing a zone are
   * logged, so recordDecisions refuses a snapshot from before them. Gives up (null) when the
   * inputs do not know a door: a snapshot read before it was registered.
   */
  private async atDoorsInService(
    inputs: DecisionInputs,
    requests: DecisionRequest[],
    uidHashes: string[],
    decide: (requests: DecisionRequest[], uidHashes: string[], doors: Map<string, DoorState>) => Promise<Array<DecisionResponse | AppError> | null>,
  ): Promise<Array<DecisionResponse | AppError> | null> {
    const doors = await inputs.doorStates([...new Set(requests.map((r) => r.door.id))]);
    if (!doors) return null;
    const inService = requests.map((_, i) => i).filter((i) => !doors.get(requests[i].door.id)?.retired);
    if (inService.length === requests.length) return decide(requests, uidHashes, doors);
    const answers = inService.length > 0 ? await decide(inService.map((i) => requests[i]), inService.map((i) => uidHashes[i]), doors) : [];
    if (!answers) return null;
    const all: Array<DecisionResponse | AppError> = requests.map(() => AppError.unauthenticated(RETIRED_DOOR));
    inService.forEach((i, k) => (all[i] = answers[k]));
    return all;
  }

  private async decideFromDatabase(requests: DecisionRequest[], uidHashes: string[], doors: Map<string, DoorState>, at: Date): Promise<Array<DecisionResponse | AppError>> {
    // In READ COMMITTED each statement sees what is committed when it starts: these reads need no transaction.
    const evaluated = await this.evaluateAll(this.access, requests, uidHashes, doors, at);
    const { decisions, missingDoorKeys } = evaluated;
    const recorded = this.toRecord(requests, decisions, at);
    if (!this.changesMore(evaluated)) return this.answers(recorded, (await this.access.recordDecisions(recorded, at, null)) as boolean[]);
    const fresh = await this.db.transaction(async () => {
      const fresh = await this.access.rememberRequests(recorded.map((r) => ({ doorId: r.event.doorId, signature: r.signature })), at);
      // The uid is at hand: doors registered since the badge was issued learn its key now.
      for (const [badgeId, uid] of missingDoorKeys) {
        const doorIds = await this.badges.rememberDoorKeys(badgeId, uid);
        // Those doors are told, so that their allowlists admit the badge offline within a second.
        if (doorIds.length) this.events.append({ type: 'badge.door_keys_learned', actorId: null, subjectType: 'badge', subjectId: badgeId, payload: { doorIds } });
      }
      const accepted = recorded.filter((_, i) => fresh[i]);
      const inserted = await this.access.insertEvents(accepted.map((r) => ({ ...r.event, at })));
      // An id the door already uploaded (its offline twin of this very decision) is not logged twice.
      for (const r of accepted) if (inserted.delete(r.event.id)) this.events.append(r.logged);
      // The first entry in a booking's window checks it in; in id order, so that two batches never wait on each other's bookings.
      const toCheckIn = new Map<string, string>();
      decisions.forEach((d, i) => fresh[i] && d.checkIns.forEach((bookingId) => !toCheckIn.has(bookingId) && toCheckIn.set(bookingId, d.personId!)));
      for (const bookingId of [...toCheckIn.keys()].sort()) await this.bookings.checkInFromDoor(bookingId, toCheckIn.get(bookingId)!);
      return fresh;
    });
    // The snapshot would go on thinking the keys missing until the stream shows the change.
    if (missingDoorKeys.size > 0) this.snapshots.drop();
    return this.answers(recorded, fresh);
  }

  /** Whether recording these decisions writes more than their own trace (a check-in, door keys). */
  private changesMore({ decisions, missingDoorKeys }: { decisions: Decision[]; missingDoorKeys: Map<string, string> }): boolean {
    return missingDoorKeys.size > 0 || decisions.some((d) => d.checkIns.length > 0);
  }

  private toRecord(requests: DecisionRequest[], decisions: Decision[], at: Date) {
    return decisions.map((d, i) => {
      const event = { id: requests[i].eventId ?? randomUUID(), doorId: requests[i].door.id, badgeId: d.badgeId, personId: d.personId, decision: d.decision, reason: d.reason, bookingId: d.bookingId };
      return { signature: requests[i].signature, event, logged: this.decidedEvent(event, at, false) };
    });
  }

  private answers(recorded: ReturnType<AccessDecisionService['toRecord']>, fresh: boolean[]): Array<DecisionResponse | AppError> {
    return recorded.map(({ event }, i) =>
      fresh[i]
        ? { decision: event.decision, reason: event.reason, eventId: event.id, ...(event.decision === 'ALLOW' && event.bookingId ? { bookingId: event.bookingId } : {}) }
        : AppError.unauthenticated('This request was already received (replay).'),
    );
  }

  private decidedEvent(event: Omit<AccessEventEntity, 'at' | 'offline'>, at: Date, offline: boolean): AppendEvent<'access.decided'> {
    const { id: eventId, doorId, decision, reason, bookingId } = event;
    return {
      type: 'access.decided',
      actorId: null,
      subjectType: 'door',
      subjectId: doorId,
      payload: { eventId, doorId, decision, reason, bookingId, at: formatInstant(at), offline },
    };
  }

  /** The decisions, and the badges some door does not know yet (by uid): reads only. */
  private async evaluateAll(inputs: DecisionInputs, requests: DecisionRequest[], uidHashes: string[], doors: Map<string, DoorState>, at: Date): Promise<{ decisions: Decision[]; missingDoorKeys: Map<string, string> }> {
    const holders = await inputs.holdersOfUids(uidHashes.map((uidHash) => ({ uidHash, at })));
    const missingDoorKeys = new Map<string, string>();
    holders.forEach((h, i) => h?.status === 'ACTIVE' && h.missingDoorKeys && missingDoorKeys.set(h.badgeId, requests[i].uid));

    const decisions: Array<Decision | null> = requests.map((request, i) => this.decideWithoutBookings(doors.get(request.door.id)?.openToMembersAnytime === true, holders[i]));
    const needBookings = requests.map((_, i) => i).filter((i) => decisions[i] === null);
    const bookings = await inputs.bookingsOpeningZones(needBookings.map((i) => ({ personId: holders[i]!.personId, zoneId: requests[i].door.zoneId })), at);
    needBookings.forEach((requestIndex, k) => {
      const holder = holders[requestIndex]!;
      const decide = (decision: 'ALLOW' | 'DENY', reason: AccessReason, booking: WindowBooking | null, checkIns: string[] = []): Decision => ({
        decision,
        reason,
        badgeId: holder.badgeId,
        personId: holder.personId,
        bookingId: booking?.id ?? null,
        checkIns,
      });
      const opening = bookings[k].filter((b) => b.qualified);
      const unqualified = bookings[k].find((b) => !b.qualified);
      // Every booking of theirs in this zone whose window this entry falls in is checked in,
      // not only the one named: a second room booked by the same group must not turn NO_SHOW.
      const checkIns = opening.filter((b) => b.status === 'CONFIRMED' && at < b.endsAt).map((b) => b.id);
      decisions[requestIndex] = opening.length
        ? decide('ALLOW', 'BOOKING_WINDOW', opening[0], checkIns)
        : unqualified
          ? decide('DENY', 'QUALIFICATION_REQUIRED', unqualified)
          : decide('DENY', 'NO_BOOKING', null);
    });
    return { decisions: decisions as Decision[], missingDoorKeys };
  }

  /** The decision when it does not depend on bookings, in DESIGN.md's order; null when it does. */
  private decideWithoutBookings(openToMembersAnytime: boolean, holder: BadgeHolder | null): Decision | null {
    const decide = (decision: 'ALLOW' | 'DENY', reason: AccessReason): Decision => ({ decision, reason, badgeId: holder?.badgeId ?? null, personId: holder?.personId ?? null, bookingId: null, checkIns: [] });
    if (!holder) return decide('DENY', 'UNKNOWN_BADGE');
    if (holder.status !== 'ACTIVE') return decide('DENY', 'BADGE_INACTIVE');
    if (holder.roles.includes('STEWARD') || holder.roles.includes('ADMIN')) return decide('ALLOW', 'STAFF');
    if (!holder.activeMember) return decide('DENY', 'NO_MEMBERSHIP');
    if (openToMembersAnytime) return decide('ALLOW', 'MEMBER_ANYTIME');
    return null;
  }

  /** The door's decisions for the next 24 hours, for when the server or the network is down. */
  async allowlist(door: DoorWithSecret): Promise<Allowlist> {
    const now = this.clock.now();
    const anytime = (await this.access.doorStates([door.id])).get(door.id)?.openToMembersAnytime === true;
    const until = new Date(now.getTime() + ALLOWLIST_HOURS * 3_600_000);
    const candidates = await this.access.allowlistCandidates(door.id, now, until);
    const windowsByPerson = new Map<string, Interval[]>();
    const add = (personId: string, interval: Interval) => {
      const start = interval.start < now ? now : interval.start;
      const end = interval.end > until ? until : interval.end;
      if (end > start) windowsByPerson.set(personId, [...(windowsByPerson.get(personId) ?? []), { start, end }]);
    };
    if (anytime) {
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
      if (staff || (anytime && wholePeriod)) entries.push({ badgeKey: c.badgeKey, anytime: true });
      else if (windows.length) entries.push({ badgeKey: c.badgeKey, windows: windows.map((w) => ({ from: w.start.toISOString(), to: w.end.toISOString() })) });
    }
    entries.sort((a, b) => (a.badgeKey < b.badgeKey ? -1 : 1));
    return { doorId: door.id, generatedAt: now.toISOString(), validUntil: until.toISOString(), entries };
  }

  /** Decisions a door took alone while offline; idempotent on the event id. */
  async ingestOffline(door: DoorWithSecret, events: OfflineEvent[]): Promise<{ accepted: number; duplicates: number }> {
    // The door's clock is within 30 s of ours (its signature says so): a later decision is made up,
    // and would never be purged by retention.
    const latest = this.clock.now().getTime() + MAX_CLOCK_SKEW_MS;
    const future = events.findIndex((event) => Date.parse(event.at) > latest);
    if (future >= 0) throw AppError.badInput(`Event ${future} is dated in the future.`);
    const uidHashes = await Promise.all(events.map((event) => this.badges.uidHash(normalizeUid(event.badgeUid)!)));
    const holders = await this.access.holdersOfUids(events.map((event, i) => ({ uidHash: uidHashes[i], at: new Date(event.at) })));
    const rows = events.map((event, i) => ({
      id: event.id,
      doorId: door.id,
      badgeId: holders[i]?.badgeId ?? null,
      personId: holders[i]?.personId ?? null,
      at: new Date(event.at),
      decision: event.decision,
      reason: event.reason,
      bookingId: null,
      offline: true,
    }));
    const inserted = await this.access.insertEvents(rows);
    let accepted = 0;
    for (const row of rows) {
      // delete(): an id twice in one upload is accepted once.
      if (!inserted.delete(row.id)) continue;
      accepted++;
      this.events.append(this.decidedEvent(row, row.at, true));
    }
    if (accepted > 0) this.db.afterCommit(() => this.stream.doorDecisionsRecorded());
    return { accepted, duplicates: events.length - accepted };
  }
}

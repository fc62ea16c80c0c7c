import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Actor } from '../common/auth/actor';
import { uuidKey } from '../common/ids';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { Clock } from '../common/time/clock';
import { SITE_ZONE, addMinutes, formatInstant, minutesBetween } from '../common/time/site-time';
import { roundToLocalGrid, wallMinutesBetweenInstants } from '../common/time/wall-clock';
import { AppendEvent } from '../audit/domain-events';
import { EventLogRepository } from '../audit/event-log.repository';
import { Db } from '../database/db';
import { PG_EXCLUSION_VIOLATION, pgErrorCode } from '../database/pg-errors';
import { CollectiveEntity } from '../identity/collective.entity';
import { CollectivesRepository } from '../identity/collectives.repository';
import { IdentityPolicy } from '../identity/identity.policy';
import { MembershipsRepository } from '../identity/memberships.repository';
import { QualificationsRepository } from '../identity/qualifications.repository';
import { HouseRulesService } from '../governance/house-rules.service';
import { Interval, isWithinOpening, openIntervals, subtractIntervals } from '../spaces/opening-hours';
import { BookableResource } from '../spaces/bookable-resource';
import { SpacesService } from '../spaces/spaces.service';
import { BookingEntity, BookingStatusName } from './booking.entity';
import { bookingSnapshot } from './booking-snapshot';
import { BookingsRepository, NewBooking } from './bookings.repository';
import { BookInput } from './dto/book.input';
import { Occurrence, expandRecurrence, parseRRule } from './recurrence';

const MAX_QUERY_DAYS = 366;
const DEADLOCK = '40P01';

export interface BookedSeries {
  bookings: BookingEntity[];
  resource: BookableResource;
  collective: CollectiveEntity;
}

type BookingChange = 'created' | 'cancelled' | 'approved' | 'checked_in' | 'no_show' | 'completed' | 'expired';

@Injectable()
export class BookingsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly spaces: SpacesService,
    private readonly rules: HouseRulesService,
    private readonly collectives: CollectivesRepository,
    private readonly qualifications: QualificationsRepository,
    private readonly policy: IdentityPolicy,
    private readonly memberships: MembershipsRepository,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
    private readonly db: Db,
  ) {}

  /** Books one slot or a whole series, all or nothing. Must run in a transaction. */
  async book(actor: Actor, input: BookInput): Promise<BookedSeries> {
    if (input.endsAt <= input.startsAt) throw AppError.badInput('The end must come after the start.');
    const occurrences = input.rrule
      ? withoutSkipped(expandRecurrence(parseRRule(input.rrule), input.startsAt, input.endsAt), input.skipOccurrences ?? [])
      : [{ startsAt: input.startsAt, endsAt: input.endsAt }];
    if (!input.rrule && input.skipOccurrences?.length) throw AppError.badInput('Only the occurrences of a recurring booking (rrule) can be left out.', { field: 'skipOccurrences' });
    const weeks = requestedWeeks(occurrences);
    const now = this.clock.now();
    // The quota locks serialize the collective's bookings of this resource per local week,
    // so the pooled quota holds under concurrency.
    const lockPrefix = `quota:${uuidKey(input.collectiveId)}:${uuidKey(input.resourceId)}`;
    const context = await this.bookings.bookingContext({
      resourceId: input.resourceId,
      collectiveId: input.collectiveId,
      personId: actor.personId,
      at: now,
      lockKeys: weeks.map((w) => `${lockPrefix}:${w.week.start.toISOString()}`).sort(),
      ruleKeys: ['MAX_ADVANCE_DAYS', 'WEEKLY_QUOTA_MINUTES'],
    });
    if (!context) throw AppError.notFound('Resource');
    const { resource, collective, rules } = context;
    if (!collective) throw AppError.notFound('Collective');
    if (!actor.isStaff && (actor.isAuditorOnly || !context.isMember)) throw AppError.forbidden('You can only book for your own collectives.');

    const title = input.title.trim();
    if (!title) throw AppError.badInput('Give the booking a title.');
    if (input.attendees != null && input.attendees > resource.capacity) {
      throw AppError.badInput(`${resource.name} holds at most ${resource.capacity} people.`);
    }
    this.checkTimes(actor, resource, occurrences, now, rules.MAX_ADVANCE_DAYS);
    await this.checkQualification(actor, resource, occurrences, now);

    const { taken, heldMinutes } = await this.bookings.takenAndHeldMinutes(resource.id, collective.id, occurrences, resource.bufferMinutes, weeks.map((w) => w.week));
    if (taken.length) throw conflictError(taken);
    checkQuota(resource, weeks, heldMinutes, rules.WEEKLY_QUOTA_MINUTES);

    const rate = resource.rates.find((r) => r.tier === collective.tariffTier)?.centsPerHour ?? 0;
    const seriesId = occurrences.length > 1 || input.rrule ? randomUUID() : null;
    const status: BookingStatusName = resource.requiresApproval && !actor.isStaff ? 'PENDING' : 'CONFIRMED';
    const rows: NewBooking[] = occurrences.map((o) => ({
      id: randomUUID(),
      resourceId: resource.id,
      collectiveId: collective.id,
      bookedById: actor.personId,
      title,
      startsAt: o.startsAt,
      endsAt: o.endsAt,
      bufferMinutes: resource.bufferMinutes,
      status,
      seriesId,
      rrule: input.rrule ?? null,
      attendees: input.attendees ?? null,
      priceCents: Math.round((minutesBetween(o.startsAt, o.endsAt) * rate) / 60),
    }));
    const events = rows.map((row) => changeEvent(actor.personId, row, collective, 'created'));
    const created = await this.insertHoldingTheSlots(resource, rows, occurrences, events, now);
    return { bookings: created, resource, collective };
  }

  /**
   * The exclusion constraint is the guarantee; a violation becomes CONFLICT listing every
   * taken occurrence, read outside this (now aborted) transaction once the winner committed.
   */
  private async insertHoldingTheSlots(resource: BookableResource, rows: NewBooking[], occurrences: Occurrence[], events: AppendEvent[], now: Date): Promise<BookingEntity[]> {
    try {
      return await this.bookings.insertWithEvents(rows, events, now);
    } catch (error) {
      const code = pgErrorCode(error);
      if (code !== PG_EXCLUSION_VIOLATION && code !== DEADLOCK) throw error;
      const taken = await this.bookings.takenOccurrences(resource.id, occurrences, resource.bufferMinutes, { outsideTransaction: true });
      throw conflictError(taken.length ? taken : occurrences);
    }
  }

  private checkTimes(actor: Actor, resource: BookableResource, occurrences: Occurrence[], now: Date, maxAdvanceDays: number): void {
    const latestStart = DateTime.fromJSDate(now, { zone: SITE_ZONE }).plus({ days: maxAdvanceDays }).toJSDate();
    for (const o of occurrences) {
      const when = formatInstant(o.startsAt);
      if (o.startsAt < now) throw AppError.badInput(`This time is in the past (${when}).`);
      if (!onGrid(o.startsAt, resource.slotMinutes) || !onGrid(o.endsAt, resource.slotMinutes)) {
        throw AppError.badInput(`${resource.name} is booked in steps of ${resource.slotMinutes} minutes (${when}).`);
      }
      const minutes = wallMinutesBetweenInstants(o.startsAt, o.endsAt);
      if (minutes < resource.minMinutes || minutes > resource.maxMinutes) {
        throw AppError.badInput(`A booking of ${resource.name} lasts from ${resource.minMinutes} to ${resource.maxMinutes} minutes (${when}).`);
      }
      if (!actor.isStaff && o.startsAt > latestStart) {
        throw AppError.badInput(`Bookings open at most ${maxAdvanceDays} days ahead (${when}).`);
      }
      if (!isWithinOpening(resource.openingHours, o.startsAt, o.endsAt)) {
        throw new AppError(ErrorCode.OUTSIDE_OPENING_HOURS, `${resource.name} is closed at that time (${when}).`);
      }
    }
    const sorted = [...occurrences].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    for (let i = 1; i < sorted.length; i++) {
      if (addMinutes(sorted[i - 1].endsAt, resource.bufferMinutes) > sorted[i].startsAt) {
        throw AppError.badInput('The occurrences of this series overlap each other.');
      }
    }
  }

  private async checkQualification(actor: Actor, resource: BookableResource, occurrences: Occurrence[], now: Date): Promise<void> {
    if (!resource.requiredQualificationId) return;
    const lastEnd = occurrences.reduce((latest, o) => (o.endsAt > latest ? o.endsAt : latest), occurrences[0].endsAt);
    if (!(await this.qualifications.holdsThrough(actor.personId, resource.requiredQualificationId, now, lastEnd))) {
      const qualification = await this.qualifications.findById(resource.requiredQualificationId);
      throw new AppError(ErrorCode.QUALIFICATION_REQUIRED, `Booking ${resource.name} needs the qualification "${qualification?.name}". A steward can grant it.`, {
        qualificationId: resource.requiredQualificationId,
      });
    }
  }

  async cancel(actor: Actor, id: string, wholeSeries: boolean): Promise<BookingEntity[]> {
    const booking = await this.bookings.findByIdForUpdate(id);
    if (!booking) throw AppError.notFound('Booking');
    await this.assertActsFor(actor, booking.collectiveId, 'Only members of the collective that booked can cancel.');
    const now = this.clock.now();
    const notice = actor.isStaff ? 0 : await this.rules.value('CANCELLATION_NOTICE_MINUTES', booking.resourceId);
    const deadline = addMinutes(now, notice);
    const cancellable = (b: BookingEntity) => (b.status === 'PENDING' || b.status === 'CONFIRMED') && b.startsAt >= deadline;
    let targets = [booking];
    if (wholeSeries && booking.seriesId) {
      // The rest of the series, whichever occurrence was tapped (a past one, in a list, often is).
      targets = (await this.bookings.seriesForUpdate(booking.seriesId)).filter(cancellable);
      if (targets.length === 0) throw AppError.invalidState('Nothing is left to cancel in this series.');
    } else if (booking.status !== 'PENDING' && booking.status !== 'CONFIRMED') {
      throw AppError.invalidState(`This booking cannot be cancelled: it is ${booking.status.toLowerCase().replace('_', ' ')}.`);
    } else if (booking.startsAt < now) {
      throw AppError.invalidState('This booking has already started: it can no longer be cancelled.');
    } else if (!cancellable(booking)) {
      throw AppError.invalidState(`Too late to cancel online: less than ${notice} minutes before the start. A steward can still cancel it.`);
    }
    await this.bookings.setStatus(targets.map((b) => b.id), 'CANCELLED', now);
    const collective = await this.collectives.findById(booking.collectiveId);
    const cancelled = targets.map((b) => ({ ...b, status: 'CANCELLED' as const, cancelledAt: now }));
    for (const b of cancelled) this.record(actor.personId, b, collective!, 'cancelled');
    return cancelled;
  }

  async approve(actor: Actor, id: string): Promise<BookingEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins approve bookings.');
    const booking = await this.bookings.findByIdForUpdate(id);
    if (!booking) throw AppError.notFound('Booking');
    if (booking.status !== 'PENDING') throw AppError.invalidState('Only a pending booking can be approved.');
    return this.transition(actor.personId, booking, 'CONFIRMED', 'approved');
  }

  async checkIn(actor: Actor, id: string): Promise<BookingEntity> {
    const booking = await this.bookings.findByIdForUpdate(id);
    if (!booking) throw AppError.notFound('Booking');
    await this.assertActsFor(actor, booking.collectiveId, 'Only members of the collective that booked can check in.');
    const grace = await this.rules.value('ACCESS_GRACE_MINUTES', booking.resourceId);
    const now = this.clock.now();
    if (booking.status !== 'CONFIRMED') throw AppError.invalidState(`This booking cannot be checked in: it is ${booking.status.toLowerCase().replace('_', ' ')}.`);
    if (now < addMinutes(booking.startsAt, -grace) || now >= booking.endsAt) {
      throw AppError.invalidState(`Check-in opens ${grace} minutes before the start and closes at the end.`);
    }
    return this.transition(actor.personId, booking, 'CHECKED_IN', 'checked_in');
  }

  /** A badge admitted inside the booking's window: the door checked the person in. */
  async checkInFromDoor(bookingId: string, personId: string): Promise<BookingEntity | null> {
    const locked = await this.bookings.findByIdForUpdate(bookingId);
    if (!locked || locked.status !== 'CONFIRMED') return locked;
    return this.transition(personId, locked, 'CHECKED_IN', 'checked_in');
  }

  private async transition(actorId: string | null, booking: BookingEntity, status: BookingStatusName, change: BookingChange): Promise<BookingEntity> {
    const now = this.clock.now();
    await this.bookings.setStatus([booking.id], status, now);
    const updated: BookingEntity = { ...booking, status, checkedInAt: status === 'CHECKED_IN' ? now : booking.checkedInAt };
    const collective = await this.collectives.findById(booking.collectiveId);
    this.record(actorId, updated, collective!, change);
    return updated;
  }

  /** Scheduled: no-shows free their slot, unapproved requests expire, finished check-ins complete. */
  async runHousekeeping(): Promise<number> {
    const now = this.clock.now();
    const changes: Array<[BookingEntity[], BookingChange]> = [
      [await this.bookings.releaseNoShows(now), 'no_show'],
      [await this.bookings.expireUnapproved(now), 'expired'],
      [await this.bookings.completeFinished(now), 'completed'],
    ];
    let count = 0;
    for (const [bookings, change] of changes) {
      for (const booking of bookings) {
        const collective = await this.collectives.findById(booking.collectiveId);
        this.record(null, booking, collective!, change);
        count++;
      }
    }
    return count;
  }

  async list(from: Date, to: Date, resourceIds: string[] | null, statuses: BookingStatusName[] | null): Promise<BookingEntity[]> {
    assertRange(from, to);
    if (resourceIds && resourceIds.length > 500) throw AppError.badInput('Ask for at most 500 resources at once.');
    const wanted = statuses?.length ? statuses : (['PENDING', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW'] as BookingStatusName[]);
    return this.bookings.list(from, to, resourceIds, wanted);
  }

  get(id: string): Promise<BookingEntity | null> {
    return this.bookings.findById(id);
  }

  /** Maximal free intervals, on the grid, long enough for a booking, clear of other bookings and their buffers. */
  async availability(actor: Actor, resourceId: string, from: Date, to: Date): Promise<Interval[]> {
    assertRange(from, to);
    const resource = await this.spaces.bookable(resourceId);
    const now = this.clock.now();
    let end = to;
    if (!actor.isStaff) {
      const maxAdvanceDays = await this.rules.value('MAX_ADVANCE_DAYS', resource.id);
      const horizon = DateTime.fromJSDate(now, { zone: SITE_ZONE }).plus({ days: maxAdvanceDays }).plus({ minutes: resource.maxMinutes }).toJSDate();
      if (horizon < end) end = horizon;
    }
    const start = from > now ? from : now;
    if (end <= start) return [];
    const open = openIntervals(resource.openingHours, start, end);
    const held = await this.bookings.heldIntervals(resource.id, addMinutes(start, -resource.maxMinutes), addMinutes(end, resource.bufferMinutes));
    // A new booking must end its own buffer before the next one starts.
    const blocked = held.map((h) => ({ start: addMinutes(h.start, -resource.bufferMinutes), end: h.end }));
    return subtractIntervals(open, blocked)
      .map((i) => ({ start: roundToLocalGrid(i.start, resource.slotMinutes, 1), end: roundToLocalGrid(i.end, resource.slotMinutes, -1) }))
      .filter((i) => wallMinutesBetweenInstants(i.start, i.end) >= resource.minMinutes);
  }

  /** Staff act for every collective; members for the collectives they belong to now; auditors for none. */
  async assertActsFor(actor: Actor, collectiveId: string, message: string): Promise<void> {
    if (actor.isStaff) return;
    if (actor.isAuditorOnly || !(await this.policy.isActiveMember(actor.personId, collectiveId))) throw AppError.forbidden(message);
  }

  /** Whose bookings show who made them: the collectives the actor belongs to now. */
  activeCollectiveIds(actor: Actor): Promise<string[]> {
    return this.memberships.activeCollectiveIds(actor.personId, this.clock.now());
  }

  private record(actorId: string | null, booking: BookingEntity, collective: CollectiveEntity, change: BookingChange): void {
    this.events.append(changeEvent(actorId, booking, collective, change));
  }
}

function changeEvent(actorId: string | null, booking: NewBooking, collective: CollectiveEntity, change: BookingChange): AppendEvent<'booking.changed'> {
  return { type: 'booking.changed', actorId, subjectType: 'booking', subjectId: booking.id, payload: { booking: bookingSnapshot(booking, collective.name), change } };
}

/**
 * A series minus the occurrences left out. Each one left out must be an occurrence, and one at
 * least must remain: a typo must not quietly book the week that was meant to be skipped, nor an
 * empty series.
 */
function withoutSkipped(occurrences: Occurrence[], skip: Date[]): Occurrence[] {
  if (skip.length === 0) return occurrences;
  const field = { field: 'skipOccurrences' };
  const starts = new Set(occurrences.map((o) => o.startsAt.getTime()));
  const stray = skip.find((start) => !starts.has(start.getTime()));
  if (stray) throw AppError.badInput(`${formatInstant(stray)} is not the start of an occurrence of this series.`, field);
  const skipped = new Set(skip.map((start) => start.getTime()));
  const kept = occurrences.filter((o) => !skipped.has(o.startsAt.getTime()));
  if (kept.length === 0) throw AppError.badInput('Every occurrence of this series is left out: there is nothing to book.', field);
  return kept;
}

function conflictError(taken: Occurrence[]): AppError {
  const list = taken.map((o) => ({ startsAt: formatInstant(o.startsAt), endsAt: formatInstant(o.endsAt) }));
  const message =
    list.length === 1 ? `This time is already taken (${list[0].startsAt}).` : `${list.length} of these times are already taken.`;
  return new AppError(ErrorCode.CONFLICT, message, { conflicts: list });
}

function onGrid(instant: Date, slotMinutes: number): boolean {
  const local = DateTime.fromJSDate(instant, { zone: SITE_ZONE });
  return local.second === 0 && local.millisecond === 0 && (local.hour * 60 + local.minute) % slotMinutes === 0;
}

interface RequestedWeek {
  week: Interval;
  /** Minutes the request would add to the week. */
  minutes: number;
}

/** The local weeks a request touches, with the minutes it adds to each. */
function requestedWeeks(occurrences: Occurrence[]): RequestedWeek[] {
  const byStart = new Map<number, RequestedWeek>();
  for (const o of occurrences) {
    for (const week of weeksTouched(o)) {
      const entry = byStart.get(week.start.getTime()) ?? { week, minutes: 0 };
      entry.minutes += overlapMinutes(o, week);
      byStart.set(week.start.getTime(), entry);
    }
  }
  return [...byStart.values()].sort((a, b) => a.week.start.getTime() - b.week.start.getTime());
}

function checkQuota(resource: BookableResource, weeks: RequestedWeek[], heldMinutes: number[], quota: number): void {
  weeks.forEach(({ week, minutes }, i) => {
    const already = heldMinutes[i];
    if (already + minutes <= quota) return;
    const weekLabel = DateTime.fromJSDate(week.start, { zone: SITE_ZONE }).toISODate();
    throw new AppError(
      ErrorCode.QUOTA_EXCEEDED,
      `Your collective may hold ${formatHours(quota)} of ${resource.name} per week; the week of ${weekLabel} already has ${formatHours(already)}.`,
      { quotaMinutes: quota, bookedMinutes: already, requestedMinutes: minutes, weekStart: formatInstant(week.start) },
    );
  });
}

/** Local ISO weeks (Monday 00:00 Europe/Brussels) that an occurrence touches. */
function weeksTouched(o: Occurrence): Interval[] {
  const weeks: Interval[] = [];
  let week = DateTime.fromJSDate(o.startsAt, { zone: SITE_ZONE }).startOf('week');
  while (week.toJSDate() < o.endsAt) {
    const next = week.plus({ weeks: 1 }).startOf('week');
    weeks.push({ start: week.toJSDate(), end: next.toJSDate() });
    week = next;
  }
  return weeks;
}

function overlapMinutes(o: Occurrence, week: Interval): number {
  const start = o.startsAt > week.start ? o.startsAt : week.start;
  const end = o.endsAt < week.end ? o.endsAt : week.end;
  return end > start ? wallMinutesBetweenInstants(start, end) : 0;
}

function formatHours(minutes: number): string {
  const hours = minutes / 60;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

function assertRange(from: Date, to: Date): void {
  if (to <= from) throw AppError.badInput('"to" must come after "from".');
  if (to.getTime() - from.getTime() > MAX_QUERY_DAYS * 86_400_000) throw AppError.badInput(`Ask for at most ${MAX_QUERY_DAYS} days at once.`);
}

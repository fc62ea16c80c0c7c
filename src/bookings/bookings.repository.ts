import { Injectable } from '@nestjs/common';
import { AppendEvent } from '../audit/domain-events';
import { EventLogRepository } from '../audit/event-log.repository';
import { Db } from '../database/db';
import { isUuid } from '../common/ids';
import { CollectiveEntity } from '../identity/collective.entity';
import { BookingEntity, BookingStatusName } from './booking.entity';
import { RuleKeyName } from '../governance/house-rule.entity';
import { ruleOfResourceJoin, ruleValuesJson, toRuleValues } from '../governance/house-rules.repository';
import { BookableResource, bookableResourceJson, toBookableResource } from '../spaces/bookable-resource';
import { Occurrence } from './recurrence';

const ACTIVE = `('PENDING','CONFIRMED','CHECKED_IN')`;

export interface BookingContext<K extends RuleKeyName> {
  resource: BookableResource;
  rules: Record<K, number>;
  /** Null when there is no such collective. */
  collective: CollectiveEntity | null;
  isMember: boolean;
}

export type NewBooking = Omit<BookingEntity, 'createdAt' | 'checkedInAt' | 'cancelledAt'>;

const BOOKING_COLUMNS =
  'b.id, b.resource_id, b.collective_id, b.booked_by_id, b.title, b.starts_at, b.ends_at, b.buffer_minutes, b.status, b.series_id, b.rrule, b.attendees, b.price_cents, b.checked_in_at, b.cancelled_at, b.created_at';

/** A row of BOOKING_COLUMNS as the entity, mapped by hand: TypeORM's hydration was ~10 % of a week's agenda. */
function toBooking(row: any): BookingEntity {
  return {
    id: row.id,
    resourceId: row.resource_id,
    collectiveId: row.collective_id,
    bookedById: row.booked_by_id,
    title: row.title,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    bufferMinutes: row.buffer_minutes,
    status: row.status,
    seriesId: row.series_id,
    rrule: row.rrule,
    attendees: row.attendees,
    priceCents: row.price_cents,
    checkedInAt: row.checked_in_at,
    cancelledAt: row.cancelled_at,
    createdAt: row.created_at,
  };
}

@Injectable()
export class BookingsRepository {
  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLogRepository,
  ) {}

  private get repo() {
    return this.db.repository(BookingEntity);
  }

  findById(id: string): Promise<BookingEntity | null> {
    return isUuid(id) ? this.repo.findOneBy({ id }) : Promise.resolve(null);
  }

  /**
   * FOR NO KEY UPDATE: access events and other rows reference bookings, and their foreign
   * keys take KEY SHARE locks, which this does not conflict with (no deadlock at the door).
   */
  findByIdForUpdate(id: string): Promise<BookingEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repo.createQueryBuilder('b').setLock('for_no_key_update').where('b.id = :id', { id }).getOne();
  }

  seriesForUpdate(seriesId: string): Promise<BookingEntity[]> {
    return this.repo.createQueryBuilder('b').setLock('for_no_key_update').where('b.seriesId = :seriesId', { seriesId }).orderBy('b.startsAt').getMany();
  }

  /** Bookings overlapping [from, to), by the GiST index on (resource, period). */
  async list(from: Date, to: Date, resourceIds: string[] | null, statuses: BookingStatusName[]): Promise<BookingEntity[]> {
    const params: unknown[] = [from, to, statuses];
    let byResource = '';
    if (resourceIds) {
      params.push(resourceIds.filter(isUuid));
      byResource = 'AND b.resource_id = ANY($4::uuid[])';
    }
    const rows = await this.db.query(
      `SELECT ${BOOKING_COLUMNS} FROM booking b
        WHERE tstzrange(b.starts_at, b.ends_at) && tstzrange($1, $2) AND b.status = ANY($3::text[]) ${byResource}
        ORDER BY b.starts_at, b.id`,
      params,
    );
    return rows.map(toBooking);
  }

  /**
   * Inserts the bookings and appends their events in one statement, which saves a round trip
   * before commit: it must be the transaction's last. The events are appended once every row
   * is in, so an insert that waits for a rival's commit (an overlap) does not hold the chain
   * head meanwhile; from then on the head stays locked until commit.
   */
  async insertWithEvents(rows: NewBooking[], events: AppendEvent[], at: Date): Promise<BookingEntity[]> {
    const column = <K extends keyof NewBooking>(key: K) => rows.map((row) => row[key]);
    const [append, appendParameters] = this.eventLog.appendCall(events, at, 14);
    const inserted: any[] = await this.db.prepared(
      'booking-insert',
      `WITH inserted AS (
         INSERT INTO booking (id, resource_id, collective_id, booked_by_id, title, starts_at, ends_at, buffer_minutes, status, series_id, rrule, attendees, price_cents)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::int[], $9::text[], $10::uuid[], $11::text[], $12::int[], $13::int[])
         RETURNING *),
       logged AS MATERIALIZED (SELECT ${append} AS seq FROM (SELECT count(*) FROM inserted) AS everything_inserted)
       SELECT inserted.* FROM inserted, logged`,
      [
        column('id'), column('resourceId'), column('collectiveId'), column('bookedById'), column('title'), column('startsAt'), column('endsAt'),
        column('bufferMinutes'), column('status'), column('seriesId'), column('rrule'), column('attendees'), column('priceCents'),
        ...appendParameters,
      ],
    );
    const byId = new Map(inserted.map((row) => [row.id, toBooking(row)]));
    return rows.map((row) => byId.get(row.id)!);
  }

  /** Active bookings of the resource whose held time ([start, end + buffer)) meets an occurrence extended by `bufferMinutes`. */
  async takenOccurrences(resourceId: string, occurrences: Occurrence[], bufferMinutes: number, options: { outsideTransaction?: boolean } = {}): Promise<Occurrence[]> {
    if (occurrences.length === 0) return [];
    const query = options.outsideTransaction ? (sql: string, params: unknown[]) => this.db.dataSource.query(sql, params) : (sql: string, params: unknown[]) => this.db.query(sql, params);
    const rows: Array<{ i: number }> = await query(
      `SELECT DISTINCT o.i FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS o(starts_at, ends_at, i)
        JOIN booking b ON b.resource_id = $1 AND b.status IN ${ACTIVE}
         AND booking_hold(b.starts_at, b.ends_at, b.buffer_minutes) && booking_hold(o.starts_at, o.ends_at, $4)
        ORDER BY o.i`,
      [resourceId, occurrences.map((o) => o.startsAt), occurrences.map((o) => o.endsAt), bufferMinutes],
    );
    return rows.map((row) => occurrences[Number(row.i) - 1]);
  }

  /**
   * In one round trip: which occurrences are taken (as takenOccurrences), and how many
   * minutes the collective already holds on the resource within each given week, on the
   * local wall clock (a whole week is 10080 minutes, DST weeks too).
   */
  async takenAndHeldMinutes(
    resourceId: string,
    collectiveId: string,
    occurrences: Occurrence[],
    bufferMinutes: number,
    weeks: Array<{ start: Date; end: Date }>,
  ): Promise<{ taken: Occurrence[]; heldMinutes: number[] }> {
    const rows = await this.db.prepared<{ kind: string; i: string; minutes: string }>(
      'booking-taken-and-held',
      `SELECT DISTINCT 'taken' AS kind, o.i, 0 AS minutes
         FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS o(starts_at, ends_at, i)
         JOIN booking b ON b.resource_id = $1 AND b.status IN ${ACTIVE}
          AND booking_hold(b.starts_at, b.ends_at, b.buffer_minutes) && booking_hold(o.starts_at, o.ends_at, $4)
       UNION ALL
       SELECT 'week', w.i, coalesce(sum(extract(epoch FROM ((least(b.ends_at, w.ends_at) AT TIME ZONE 'Europe/Brussels')
                                                          - (greatest(b.starts_at, w.starts_at) AT TIME ZONE 'Europe/Brussels'))) / 60) FILTER (WHERE b.id IS NOT NULL), 0)
         FROM unnest($6::timestamptz[], $7::timestamptz[]) WITH ORDINALITY AS w(starts_at, ends_at, i)
         LEFT JOIN booking b ON b.collective_id = $5 AND b.resource_id = $1 AND b.status IN ${ACTIVE}
          AND b.starts_at < w.ends_at AND b.ends_at > w.starts_at
        GROUP BY w.i`,
      [resourceId, occurrences.map((o) => o.startsAt), occurrences.map((o) => o.endsAt), bufferMinutes, collectiveId, weeks.map((w) => w.start), weeks.map((w) => w.end)],
    );
    const taken = rows.filter((r) => r.kind === 'taken').map((r) => Number(r.i)).sort((a, b) => a - b).map((i) => occurrences[i - 1]);
    const heldMinutes = weeks.map(() => 0);
    for (const r of rows) if (r.kind === 'week') heldMinutes[Number(r.i) - 1] = Math.round(Number(r.minutes));
    return { taken, heldMinutes };
  }

  /**
   * Everything a booking is checked against, in the one round trip that also takes the
   * transaction's advisory locks (`lockKeys`, taken in the given order): the resource, the
   * house rules `ruleKeys` for it, the collective, and whether the person belongs to the
   * collective at `at`. Null when there is no such resource. Reads that the locks protect
   * must come in later statements, which see what the previous lock holders committed.
   */
  async bookingContext<K extends RuleKeyName>(request: {
    resourceId: string;
    collectiveId: string;
    personId: string;
    at: Date;
    lockKeys: string[];
    ruleKeys: K[];
  }): Promise<BookingContext<K> | null> {
    if (!isUuid(request.resourceId)) return null;
    const [row] = await this.db.prepared(
      'booking-context',
      `SELECT ${bookableResourceJson('$1::uuid')} AS resource, ${ruleValuesJson('$6::text[]', '$1::uuid')} AS rules,
              c.id, c.name, c.form, c.tariff_tier, c.public_listing, c.description, c.created_at,
              EXISTS (SELECT 1 FROM membership m WHERE m.collective_id = c.id AND m.person_id = $3::uuid
                         AND m.starts_at <= $4 AND (m.ends_at IS NULL OR m.ends_at > $4)) AS is_member,
              (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest($5::text[]) WITH ORDINALITY AS l(k, n)) AS locks
         FROM (VALUES (1)) AS one LEFT JOIN collective c ON c.id = $2::uuid`,
      [request.resourceId, isUuid(request.collectiveId) ? request.collectiveId : null, request.personId, request.at, request.lockKeys, request.ruleKeys],
    );
    const resource = toBookableResource(row.resource);
    if (!resource) return null;
    const collective: CollectiveEntity | null = row.id
      ? { id: row.id, name: row.name, form: row.form, tariffTier: row.tariff_tier, publicListing: row.public_listing, description: row.description, createdAt: row.created_at }
      : null;
    return { resource, rules: toRuleValues(request.ruleKeys, row.rules), collective, isMember: row.is_member === true };
  }

  /** Time held by active bookings of the resource around [from, to), buffers included. */
  async heldIntervals(resourceId: string, from: Date, to: Date): Promise<Array<{ start: Date; end: Date }>> {
    const rows = await this.db.query<{ starts_at: Date; held_until: Date }>(
      `SELECT starts_at, ends_at + make_interval(mins => buffer_minutes) AS held_until FROM booking
        WHERE resource_id = $1 AND status IN ${ACTIVE} AND booking_hold(starts_at, ends_at, buffer_minutes) && tstzrange($2, $3)
        ORDER BY starts_at`,
      [resourceId, from, to],
    );
    return rows.map((row) => ({ start: row.starts_at, end: row.held_until }));
  }

  async setStatus(ids: string[], status: BookingStatusName, at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE booking SET status = $2,
          cancelled_at = CASE WHEN $2 = 'CANCELLED' THEN $3 ELSE cancelled_at END,
          checked_in_at = CASE WHEN $2 = 'CHECKED_IN' THEN $3 ELSE checked_in_at END
        WHERE id = ANY($1)`,
      [ids, status, at],
    );
  }

  /**
   * Releases confirmed bookings nobody checked in NO_SHOW_RELEASE_MINUTES after their start
   * (the resource's own value when it has one). SKIP LOCKED lets two instances share the work.
   */
  async releaseNoShows(now: Date): Promise<BookingEntity[]> {
    const rows = await this.db.query(
      `WITH due AS (
         SELECT b.id FROM booking b
          CROSS JOIN LATERAL (
            SELECT value FROM house_rule r
             WHERE r.key = 'NO_SHOW_RELEASE_MINUTES' AND r.valid_to IS NULL AND (r.resource_id IS NULL OR r.resource_id = b.resource_id)
             ORDER BY r.resource_id NULLS LAST LIMIT 1) rule
          WHERE b.status = 'CONFIRMED' AND b.starts_at <= $1
            AND b.starts_at + make_interval(mins => rule.value) <= $1
          FOR UPDATE OF b SKIP LOCKED)
       UPDATE booking SET status = 'NO_SHOW' FROM due WHERE booking.id = due.id RETURNING booking.id`,
      [now],
    );
    return this.idsToEntities(rows);
  }

  /** Pending requests nobody approved before they started are dropped. */
  async expireUnapproved(now: Date): Promise<BookingEntity[]> {
    const rows = await this.db.query(
      `UPDATE booking SET status = 'CANCELLED', cancelled_at = $1
        WHERE id IN (SELECT id FROM booking WHERE status = 'PENDING' AND starts_at <= $1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [now],
    );
    return this.idsToEntities(rows);
  }

  /**
   * Checked-in bookings whose door grace after the end (ACCESS_GRACE_MINUTES) has passed: until
   * then the group may still come back in (DESIGN's rule 5), which a COMPLETED booking no longer allows.
   */
  async completeFinished(now: Date): Promise<BookingEntity[]> {
    const rows = await this.db.query(
      `UPDATE booking SET status = 'COMPLETED'
        WHERE id IN (SELECT b.id FROM booking b JOIN resource r ON r.id = b.resource_id ${ruleOfResourceJoin('ACCESS_GRACE_MINUTES', 'grace', 'r.id')}
                      WHERE b.status = 'CHECKED_IN' AND b.ends_at + make_interval(mins => grace.value) <= $1 FOR UPDATE OF b SKIP LOCKED)
        RETURNING id`,
      [now],
    );
    return this.idsToEntities(rows);
  }

  private async idsToEntities(rows: unknown): Promise<BookingEntity[]> {
    // node-postgres returns [rows, count] for UPDATE ... RETURNING through TypeORM.
    const list = (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows) as Array<{ id: string }>;
    if (list.length === 0) return [];
    return this.repo.createQueryBuilder('b').where('b.id = ANY(:ids)', { ids: list.map((r) => r.id) }).orderBy('b.startsAt').getMany();
  }

  async forCollectives(collectiveIds: string[], from: Date): Promise<BookingEntity[]> {
    if (collectiveIds.length === 0) return [];
    return this.repo
      .createQueryBuilder('b')
      .where('b.collective_id = ANY(:collectiveIds)', { collectiveIds })
      .andWhere('b.ends_at >= :from', { from })
      .orderBy('b.startsAt')
      .getMany();
  }
}

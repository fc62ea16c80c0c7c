import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { visitorPseudonym } from '../access/access.repository';

export type GranularityName = 'DAY' | 'WEEK' | 'MONTH';

export interface OccupancyRecord {
  resourceId: string;
  periodStart: Date;
  periodEnd: Date;
  openMinutes: number;
  bookedMinutes: number;
  usedMinutes: number;
  bookings: number;
  noShows: number;
  cancellations: number;
  distinctCollectives: number;
}

export interface AttendanceRecord {
  periodStart: Date;
  periodEnd: Date;
  uniqueVisitors: number;
  entries: number;
}

const UNIT: Record<GranularityName, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };

/**
 * Local report periods (Europe/Brussels): a DAY has 23, 24 or 25 hours, a WEEK starts on
 * Monday, a MONTH is a calendar month. `$unit` is one of day/week/month.
 */
const PERIODS = `
  periods AS (
    SELECT p AS local_start, p + ('1 ' || $3) ::interval AS local_end,
           p AT TIME ZONE 'Europe/Brussels' AS period_start,
           (p + ('1 ' || $3)::interval) AT TIME ZONE 'Europe/Brussels' AS period_end
      FROM generate_series(date_trunc($3, $1::timestamptz AT TIME ZONE 'Europe/Brussels'),
                           ($2::timestamptz AT TIME ZONE 'Europe/Brussels') - interval '1 microsecond',
                           ('1 ' || $3)::interval) p
  )`;

/** The City's figures, computed in SQL over local periods and range intersections. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  async occupancy(from: Date, to: Date, granularity: GranularityName, resourceIds: string[] | null): Promise<OccupancyRecord[]> {
    const rows = await this.db.query(
      `WITH ${PERIODS},
       resources AS (SELECT id, name FROM resource WHERE $4::uuid[] IS NULL OR id = ANY($4)),
       bounds AS (SELECT min(period_start) AS lo, max(period_end) AS hi FROM periods),
       opening AS (
         SELECT oh.resource_id, pr.local_start,
                sum(date_part('epoch', ((d + make_interval(mins => oh.closes_minute)) AT TIME ZONE 'Europe/Brussels')
                                     - ((d + make_interval(mins => oh.opens_minute)) AT TIME ZONE 'Europe/Brussels')) / 60) AS minutes
           FROM periods pr
          CROSS JOIN LATERAL generate_series(pr.local_start, pr.local_end - interval '1 day', interval '1 day') d
           JOIN resource_opening_hours oh ON oh.weekday = extract(isodow FROM d)
           JOIN resources r ON r.id = oh.resource_id
          GROUP BY 1, 2),
       -- A booking's part in each local period it touches. The set-returning function sits in
       -- the select list (one ProjectSet node) rather than in a LATERAL join (a function scan per booking).
       pieces AS (
         SELECT b.resource_id, b.collective_id, b.status, b.starts_at, b.ends_at,
                generate_series(date_trunc($3, b.starts_at AT TIME ZONE 'Europe/Brussels'),
                                date_trunc($3, (b.ends_at AT TIME ZONE 'Europe/Brussels') - interval '1 microsecond'),
                                ('1 ' || $3)::interval) AS local_start
           FROM booking b
           JOIN resources r ON r.id = b.resource_id, bounds
          WHERE b.starts_at < bounds.hi AND b.ends_at > bounds.lo),
       -- Minutes as double precision (date_part): extract() gives numeric, slower to sum over every booking.
       figures AS (
         SELECT pc.resource_id, pr.local_start,
                sum(date_part('epoch', least(pc.ends_at, pr.period_end) - greatest(pc.starts_at, pr.period_start)) / 60)
                  FILTER (WHERE pc.status IN ('CONFIRMED','CHECKED_IN','COMPLETED','NO_SHOW')) AS booked,
                sum(date_part('epoch', least(pc.ends_at, pr.period_end) - greatest(pc.starts_at, pr.period_start)) / 60)
                  FILTER (WHERE pc.status IN ('CHECKED_IN','COMPLETED')) AS used,
                count(*) FILTER (WHERE pc.starts_at >= pr.period_start AND pc.status IN ('CONFIRMED','CHECKED_IN','COMPLETED','NO_SHOW')) AS bookings,
                count(*) FILTER (WHERE pc.starts_at >= pr.period_start AND pc.status = 'NO_SHOW') AS no_shows,
                count(*) FILTER (WHERE pc.starts_at >= pr.period_start AND pc.status = 'CANCELLED') AS cancellations,
                count(DISTINCT pc.collective_id) FILTER (WHERE pc.starts_at >= pr.period_start AND pc.status IN ('CONFIRMED','CHECKED_IN','COMPLETED','NO_SHOW')) AS collectives
           FROM pieces pc JOIN periods pr ON pr.local_start = pc.local_start
          GROUP BY 1, 2)
       SELECT r.id AS resource_id, pr.period_start, pr.period_end,
              coalesce(o.minutes, 0) AS open_minutes, coalesce(f.booked, 0) AS booked_minutes, coalesce(f.used, 0) AS used_minutes,
              coalesce(f.bookings, 0) AS bookings, coalesce(f.no_shows, 0) AS no_shows,
              coalesce(f.cancellations, 0) AS cancellations, coalesce(f.collectives, 0) AS distinct_collectives
         FROM resources r CROSS JOIN periods pr
         LEFT JOIN opening o ON o.resource_id = r.id AND o.local_start = pr.local_start
         LEFT JOIN figures f ON f.resource_id = r.id AND f.local_start = pr.local_start
        ORDER BY r.name, r.id, pr.period_start`,
      [from, to, UNIT[granularity], resourceIds],
    );
    return rows.map((r: any) => ({
      resourceId: r.resource_id,
      periodStart: r.period_start,
      periodEnd: r.period_end,
      openMinutes: Math.round(Number(r.open_minutes)),
      bookedMinutes: Math.round(Number(r.booked_minutes)),
      usedMinutes: Math.round(Number(r.used_minutes)),
      bookings: Number(r.bookings),
      noShows: Number(r.no_shows),
      cancellations: Number(r.cancellations),
      distinctCollectives: Number(r.distinct_collectives),
    }));
  }

  /**
   * Distinct badges admitted and entries per local period: recent days from the access
   * events, older days from the pseudonymous daily rows the retention job keeps.
   */
  async attendance(from: Date, to: Date, granularity: GranularityName, pseudonymKey: string): Promise<AttendanceRecord[]> {
    const rows = await this.db.query(
      `WITH ${PERIODS},
       bounds AS (SELECT min(period_start) AS lo, max(period_end) AS hi FROM periods),
       -- Entries counted per day and badge first, so that each badge is hashed once a day.
       recent AS (
         SELECT (e.at AT TIME ZONE 'Europe/Brussels')::date AS day, e.badge_id, count(*) AS entries
           FROM access_event e, bounds WHERE e.decision = 'ALLOW' AND e.badge_id IS NOT NULL AND e.at >= bounds.lo AND e.at < bounds.hi
          GROUP BY 1, 2),
       visits AS (
         SELECT day, ${visitorPseudonym('$4', 'badge_id')} AS visitor, entries FROM recent
         UNION ALL
         SELECT v.day, v.visitor, v.entries FROM attendance_visit v, bounds
          WHERE v.day >= (bounds.lo AT TIME ZONE 'Europe/Brussels')::date AND v.day < (bounds.hi AT TIME ZONE 'Europe/Brussels')::date)
       -- An equality join on the period start: each visit meets its one period, not every period.
       SELECT pr.period_start, pr.period_end, count(DISTINCT v.visitor) AS unique_visitors, coalesce(sum(v.entries), 0) AS entries
         FROM periods pr LEFT JOIN visits v ON date_trunc($3, v.day::timestamp) = pr.local_start
        GROUP BY pr.period_start, pr.period_end
        ORDER BY pr.period_start`,
      [from, to, UNIT[granularity], pseudonymKey],
    );
    return rows.map((r: any) => ({ periodStart: r.period_start, periodEnd: r.period_end, uniqueVisitors: Number(r.unique_visitors), entries: Number(r.entries) }));
  }

  /** The ledger position a report accounts for (read in the report's snapshot). */
  async ledgerHead(): Promise<{ seq: number; hash: string }> {
    const row = await this.db.one(`SELECT seq, hash FROM event_log ORDER BY seq DESC LIMIT 1`);
    return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: '0'.repeat(64) };
  }
}

import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { LocalizedNames } from '../common/i18n/localized-names';
import { BACKGROUND_READ, Db } from '../database/db';
import { ruleOfResourceJoin } from '../governance/house-rules.repository';
import { AppendEvent } from '../audit/domain-events';
import { EventLogRepository } from '../audit/event-log.repository';
import { isUuid } from '../common/ids';
import { AccessEventEntity, BadgeEntity, BadgeStatusName, DoorEntity } from './access.entities';

/** A door as its requests are authenticated: its secret and zone never change until it is retired (its zone's hours and its names may). */
export interface DoorWithSecret extends DoorEntity {
  secret: string;
}

export interface BadgeHolder {
  badgeId: string;
  status: BadgeStatusName;
  personId: string;
  roles: string[];
  /** Some door registered since the badge was issued does not know its key yet. */
  missingDoorKeys: boolean;
  /** The holder has a membership active at the decision's instant. */
  activeMember: boolean;
}

export interface WindowBooking {
  id: string;
  status: string;
  endsAt: Date;
  /** The person holds the qualification the resource requires (or it requires none). */
  qualified: boolean;
}

/** What a decision reads of its door, which a steward may change under it (retiring it, or its zone's hours). */
export interface DoorState {
  id: string;
  retired: boolean;
  openToMembersAnytime: boolean;
}

const DOOR_STATES = `SELECT d.id, d.retired_at IS NOT NULL AS retired, z.open_to_members_anytime FROM door d JOIN zone z ON z.id = d.zone_id`;
const toDoorState = (r: { id: string; retired: boolean; open_to_members_anytime: boolean }): DoorState => ({ id: r.id, retired: r.retired, openToMembersAnytime: r.open_to_members_anytime });

/** What a door decision reads, loaded at once (see AccessSnapshot). */
export interface DecisionInputRows {
  /** The event log's last entry that is not a door decision, when these rows were read. */
  lastChangeSeq: number;
  doors: DoorState[];
  /** Per uid hash: the active badge if any, else the latest. */
  badges: Array<Omit<BadgeHolder, 'activeMember'> & { uidHash: string }>;
  memberships: Array<{ personId: string; collectiveId: string; startsAt: Date; endsAt: Date | null }>;
  grants: Array<{ personId: string; qualificationId: string; grantedAt: Date; expiresAt: Date | null }>;
  /** Active bookings, by start; opensAt and closesAt include the grace. */
  bookings: Array<{ id: string; status: string; endsAt: Date; collectiveId: string; zoneId: string; requiredQualificationId: string | null; opensAt: Date; closesAt: Date }>;
}

const ACTIVE = `('PENDING','CONFIRMED','CHECKED_IN')`;

/** Joined after `resource r`: grace.value, the ACCESS_GRACE_MINUTES in force for r (its own, else the house-wide one). */
const GRACE_OF_RESOURCE = ruleOfResourceJoin('ACCESS_GRACE_MINUTES', 'grace', 'r.id');

/** Every SQL statement about badges, doors and access events. */
@Injectable()
export class AccessRepository {
  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLogRepository,
  ) {}

  // ---------------------------------------------------------------- badges

  insertBadge(row: { personId: string; label: string; uidHash: string; issuedAt: Date }): Promise<BadgeEntity> {
    const repo = this.db.repository(BadgeEntity);
    return repo.save(repo.create({ ...row, status: 'ACTIVE', statusChangedAt: null }));
  }

  badgesByIds(ids: string[]): Promise<BadgeEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.db.repository(BadgeEntity).findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  badgeForUpdate(id: string): Promise<BadgeEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.repository(BadgeEntity).createQueryBuilder('b').setLock('for_no_key_update').where('b.id = :id', { id }).getOne();
  }

  badges(personId: string | null): Promise<BadgeEntity[]> {
    if (personId !== null && !isUuid(personId)) return Promise.resolve([]);
    return this.db.repository(BadgeEntity).find({ where: personId ? { personId } : {}, order: { issuedAt: 'DESC' } });
  }

  async activeBadgeWithUidHash(uidHash: string): Promise<boolean> {
    return (await this.db.one(`SELECT 1 FROM badge WHERE uid_hash = $1 AND status = 'ACTIVE'`, [uidHash])) !== undefined;
  }

  async setBadgeStatus(id: string, status: BadgeStatusName, at: Date): Promise<void> {
    await this.db.query(`UPDATE badge SET status = $2, status_changed_at = $3 WHERE id = $1`, [id, status, at]);
  }

  /**
   * The badge each uid hash names: the active one if any, else the latest (to tell "lost"
   * from "unknown"), with whether its holder is a member at each hash's instant.
   */
  async holdersOfUids(lookups: Array<{ uidHash: string; at: Date }>): Promise<Array<BadgeHolder | null>> {
    if (lookups.length === 0) return [];
    const rows = await this.db.prepared(
      'badge-holders',
      `SELECT DISTINCT ON (q.i) q.i, b.id, b.status, b.person_id, p.roles,
              -- As in decisionInputs: only an active badge is taught door keys.
              b.status = 'ACTIVE' AND (SELECT count(*) FROM door) > (SELECT count(*) FROM badge_door_key k WHERE k.badge_id = b.id) AS missing_door_keys,
              EXISTS (SELECT 1 FROM membership m WHERE m.person_id = b.person_id AND m.starts_at <= q.at AND (m.ends_at IS NULL OR m.ends_at > q.at)) AS active_member
         FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS q(uid_hash, at, i)
         JOIN badge b ON b.uid_hash = q.uid_hash
         JOIN person p ON p.id = b.person_id
        ORDER BY q.i, (b.status = 'ACTIVE') DESC, b.issued_at DESC`,
      [lookups.map((l) => l.uidHash), lookups.map((l) => l.at)],
    );
    const holders: Array<BadgeHolder | null> = lookups.map(() => null);
    for (const row of rows) {
      holders[Number(row.i) - 1] = { badgeId: row.id, status: row.status, personId: row.person_id, roles: row.roles, missingDoorKeys: row.missing_door_keys, activeMember: row.active_member };
    }
    return holders;
  }

  async storeDoorKeys(keys: Array<{ badgeId: string; doorId: string; badgeKey: string }>): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query(
      `INSERT INTO badge_door_key (badge_id, door_id, badge_key)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) ON CONFLICT DO NOTHING`,
      [keys.map((k) => k.badgeId), keys.map((k) => k.doorId), keys.map((k) => k.badgeKey)],
    );
  }

  async doorsMissingKey(badgeId: string): Promise<Array<{ id: string; secret: string }>> {
    return this.db.query(
      `SELECT d.id, d.secret FROM door d WHERE NOT EXISTS (SELECT 1 FROM badge_door_key k WHERE k.badge_id = $1 AND k.door_id = d.id)`,
      [badgeId],
    );
  }

  // ---------------------------------------------------------------- doors

  async insertDoor(row: { name: string; names: LocalizedNames; zoneId: string; secret: string }): Promise<DoorEntity> {
    const [inserted] = await this.db.query(`INSERT INTO door (name, names, zone_id, secret) VALUES ($1, $2, $3, $4) RETURNING id, created_at`, [row.name, row.names, row.zoneId, row.secret]);
    return { id: inserted.id, name: row.name, names: row.names, zoneId: row.zoneId, secret: row.secret, createdAt: inserted.created_at, retiredAt: null };
  }

  /** The door, its row locked until the transaction ends: two renames at once apply one after the other. */
  doorForUpdate(id: string): Promise<DoorEntity | null> {
    return isUuid(id) ? this.db.repository(DoorEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : Promise.resolve(null);
  }

  async renameDoor(id: string, name: string, names: LocalizedNames): Promise<void> {
    await this.db.query(`UPDATE door SET name = $2, names = $3 WHERE id = $1`, [id, name, names]);
  }

  doors(): Promise<DoorEntity[]> {
    return this.db.repository(DoorEntity).find({ order: { name: 'ASC' } });
  }

  doorsByIds(ids: string[]): Promise<DoorEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.db.repository(DoorEntity).findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  door(id: string): Promise<DoorEntity | null> {
    return isUuid(id) ? this.db.repository(DoorEntity).findOneBy({ id }) : Promise.resolve(null);
  }

  async doorWithSecret(id: string): Promise<DoorWithSecret | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.one(
      `SELECT id, name, names, zone_id, secret, created_at, retired_at FROM door WHERE id = $1`,
      [id],
    );
    return row
      ? { id: row.id, name: row.name, names: row.names, zoneId: row.zone_id, secret: row.secret, createdAt: row.created_at, retiredAt: row.retired_at }
      : null;
  }

  /** Retires the door at `at`, unless it already was: the door as it is now. */
  async retireDoor(id: string, at: Date): Promise<{ door: DoorEntity; retiredNow: boolean } | null> {
    if (!isUuid(id)) return null;
    const [{ retired }] = await this.db.query(`WITH retired AS (UPDATE door SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL RETURNING id) SELECT count(*)::int AS retired FROM retired`, [id, at]);
    const door = await this.door(id);
    return door ? { door, retiredNow: retired === 1 } : null;
  }

  /** Each door's latest access event (by the (door_id, at) index); doors without one are left out. */
  async lastDecisions(doorIds: string[]): Promise<Array<{ id: string; at: Date }>> {
    const rows = await this.db.query(
      `SELECT d.id, (SELECT max(e.at) FROM access_event e WHERE e.door_id = d.id) AS at FROM unnest($1::uuid[]) AS d(id)`,
      [doorIds.filter(isUuid)],
    );
    return rows.filter((r: { at: Date | null }) => r.at !== null);
  }

  async doorStates(doorIds: string[]): Promise<Map<string, DoorState>> {
    const rows = await this.db.prepared('door-states', `${DOOR_STATES} WHERE d.id = ANY($1::uuid[])`, [doorIds]);
    return new Map(rows.map((r: any) => [r.id, toDoorState(r)]));
  }

  async doorIdsOfResource(resourceId: string): Promise<string[]> {
    const rows = await this.db.query(`SELECT d.id FROM door d JOIN resource r ON r.zone_id = d.zone_id WHERE r.id = $1`, [resourceId]);
    return rows.map((r: { id: string }) => r.id);
  }

  async allDoorIds(): Promise<string[]> {
    return (await this.db.query(`SELECT id FROM door`)).map((r: { id: string }) => r.id);
  }

  /** False when this exact signed request was seen before (a replay). */
  async rememberRequest(doorId: string, signature: string, at: Date): Promise<boolean> {
    return (await this.rememberRequests([{ doorId, signature }], at))[0];
  }

  /** For each signed request, false when it was seen before, in an earlier call or earlier in this list. */
  async rememberRequests(requests: Array<{ doorId: string; signature: string }>, at: Date): Promise<boolean[]> {
    const { keys, distinct } = distinctRequests(requests);
    const rows = await this.db.prepared(
      'door-requests',
      `INSERT INTO door_request (door_id, signature, at) SELECT door_id, signature, $3 FROM unnest($1::uuid[], $2::text[]) AS r(door_id, signature)
       ON CONFLICT DO NOTHING RETURNING door_id, signature`,
      [distinct.map((i) => requests[i].doorId), distinct.map((i) => requests[i].signature.toLowerCase()), at],
    );
    const fresh = new Set(rows.map((row: { door_id: string; signature: string }) => `${row.door_id} ${row.signature}`));
    return keys.map((key) => fresh.delete(key));
  }

  /**
   * Door decisions that change nothing else, recorded in one statement (and so one
   * transaction): each request is remembered, and unless it is a replay (seen before, in an
   * earlier call or earlier in this list) its access event is inserted and its log entry
   * appended. For each decision, whether it was recorded (false: a replay, nothing written).
   * With `decidedAsOf` (the log's last change the decisions saw), nothing at all is written
   * if the log shows a later change, and the answer is 'stale'.
   */
  async recordDecisions(
    decisions: Array<{ signature: string; event: Omit<AccessEventEntity, 'offline' | 'at'>; logged: AppendEvent }>,
    at: Date,
    decidedAsOf: number | null,
  ): Promise<boolean[] | 'stale'> {
    const { keys, distinct } = distinctRequests(decisions.map((d) => ({ doorId: d.event.doorId, signature: d.signature })));
    const rows = distinct.map((i) => decisions[i]);
    const column = <K extends keyof AccessEventEntity>(key: Exclude<K, 'offline' | 'at'>) => rows.map((row) => row.event[key] ?? null);
    const [append, appendParameters] = this.eventLog.appendCall(
      rows.map((row) => row.logged),
      at,
      11,
      'e.n IN (SELECT min(n) FROM accepted JOIN events ON events.id = accepted.event_id GROUP BY event_id)',
    );
    const recorded = await this.db.prepared(
      'record-door-decisions',
      `WITH current AS MATERIALIZED (SELECT $10::bigint IS NULL OR last_change_seq <= $10::bigint AS ok FROM event_log_head),
       input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::uuid[])
                  WITH ORDINALITY AS r(door_id, signature, event_id, badge_id, person_id, decision, reason, booking_id, n)
          WHERE (SELECT ok FROM current)),
       fresh AS (
         INSERT INTO door_request (door_id, signature, at) SELECT door_id, signature, $9 FROM input
         ON CONFLICT DO NOTHING RETURNING door_id, signature),
       accepted AS MATERIALIZED (SELECT input.* FROM input JOIN fresh USING (door_id, signature)),
       -- An event id the door chose and already uploaded (the offline twin of this decision) is kept, not written again.
       events AS (
         INSERT INTO access_event (id, door_id, badge_id, person_id, at, decision, reason, booking_id, offline)
         SELECT event_id, door_id, badge_id, person_id, $9, decision, reason, booking_id, false FROM accepted
         ON CONFLICT (id) DO NOTHING RETURNING id),
       -- Last: the chain head stays locked from here until commit.
       logged AS MATERIALIZED (SELECT ${append} AS seq)
       SELECT accepted.n FROM accepted, logged
       UNION ALL SELECT NULL FROM current WHERE NOT ok`,
      [
        column('doorId'),
        rows.map((row) => row.signature.toLowerCase()),
        column('id'),
        column('badgeId'),
        column('personId'),
        column('decision'),
        column('reason'),
        column('bookingId'),
        at,
        decidedAsOf,
        ...appendParameters,
      ],
    );
    if (recorded.some((row: { n: string | null }) => row.n === null)) return 'stale';
    const fresh = new Set(recorded.map((row: { n: string }) => keys[distinct[Number(row.n) - 1]]));
    return keys.map((key) => fresh.delete(key));
  }

  async forgetRequestsBefore(at: Date): Promise<void> {
    await this.db.query(`DELETE FROM door_request WHERE at < $1`, [at]);
  }

  // ---------------------------------------------------------------- decisions

  /**
   * For each (person, zone): the active bookings of the person's collectives in the zone
   * whose access window (grace included) contains `at`, and whether the person holds the
   * qualification the booked resource requires. The bookings open at `at` are found once
   * for the whole batch, then matched to each person's memberships.
   */
  async bookingsOpeningZones(lookups: Array<{ personId: string; zoneId: string }>, at: Date): Promise<WindowBooking[][]> {
    if (lookups.length === 0) return [];
    const rows = await this.db.prepared(
      'bookings-opening-zones',
      `WITH open AS MATERIALIZED (
         SELECT b.id, b.status, b.starts_at, b.ends_at, b.collective_id, r.zone_id, r.required_qualification_id
           FROM resource r
           JOIN booking b ON b.resource_id = r.id
                         AND tstzrange(b.starts_at, b.ends_at) && tstzrange($3::timestamptz - interval '1 day', $3::timestamptz + interval '1 day')
           ${GRACE_OF_RESOURCE}
          WHERE r.zone_id = ANY($2::uuid[]) AND b.status IN ${ACTIVE}
            AND b.starts_at - make_interval(mins => grace.value) <= $3::timestamptz AND $3::timestamptz < b.ends_at + make_interval(mins => grace.value))
       SELECT q.i, o.id, o.status, o.ends_at,
              (o.required_qualification_id IS NULL OR EXISTS (
                 SELECT 1 FROM qualification_grant g WHERE g.person_id = q.person_id AND g.qualification_id = o.required_qualification_id
                    AND g.granted_at <= $3::timestamptz AND (g.expires_at IS NULL OR g.expires_at > $3::timestamptz))) AS qualified
         FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS q(person_id, zone_id, i)
         -- A person's memberships never overlap within a collective (membership_no_overlap): no duplicates.
         JOIN membership m ON m.person_id = q.person_id AND m.starts_at <= $3::timestamptz AND (m.ends_at IS NULL OR m.ends_at > $3::timestamptz)
         JOIN open o ON o.zone_id = q.zone_id AND o.collective_id = m.collective_id
        ORDER BY q.i, o.starts_at`,
      [lookups.map((l) => l.personId), lookups.map((l) => l.zoneId), at],
    );
    const found: WindowBooking[][] = lookups.map(() => []);
    for (const r of rows) {
      found[Number(r.i) - 1].push({ id: r.id, status: r.status, endsAt: r.ends_at, qualified: r.qualified });
    }
    return found;
  }

  /**
   * Everything a door decision reads, for decisions between `from` and `until`, from one
   * snapshot (REPEATABLE READ), with the event log's last change at that snapshot.
   */
  async decisionInputs(from: Date, until: Date): Promise<DecisionInputRows> {
    return this.db.transaction(async () => {
      const [head] = await this.db.query(`${BACKGROUND_READ} SELECT last_change_seq FROM event_log_head`);
      const doors = await this.db.query(`${BACKGROUND_READ} ${DOOR_STATES}`);
      const badges = await this.db.query(
        `${BACKGROUND_READ} SELECT DISTINCT ON (b.uid_hash) b.uid_hash, b.id, b.status, b.person_id, p.roles,
                b.status = 'ACTIVE' AND (SELECT count(*) FROM door) > (SELECT count(*) FROM badge_door_key k WHERE k.badge_id = b.id) AS missing_door_keys
           FROM badge b JOIN person p ON p.id = b.person_id
          ORDER BY b.uid_hash, (b.status = 'ACTIVE') DESC, b.issued_at DESC`,
      );
      const memberships = await this.db.query(
        `${BACKGROUND_READ} SELECT person_id, collective_id, starts_at, ends_at FROM membership WHERE starts_at < $2 AND (ends_at IS NULL OR ends_at > $1)`,
        [from, until],
      );
      const grants = await this.db.query(
        `${BACKGROUND_READ} SELECT person_id, qualification_id, granted_at, expires_at FROM qualification_grant WHERE granted_at < $2 AND (expires_at IS NULL OR expires_at > $1)`,
        [from, until],
      );
      // The same bookings and grace as bookingsOpeningZones, for any instant between from and until.
      const bookings = await this.db.query(
        `${BACKGROUND_READ} SELECT b.id, b.status, b.starts_at, b.ends_at, b.collective_id, r.zone_id, r.required_qualification_id,
                b.starts_at - make_interval(mins => grace.value) AS opens_at, b.ends_at + make_interval(mins => grace.value) AS closes_at
           FROM resource r
           JOIN booking b ON b.resource_id = r.id
                         AND tstzrange(b.starts_at, b.ends_at) && tstzrange($1::timestamptz - interval '1 day', $2::timestamptz + interval '1 day')
           ${GRACE_OF_RESOURCE}
          WHERE b.status IN ${ACTIVE}
            AND b.starts_at - make_interval(mins => grace.value) < $2::timestamptz AND b.ends_at + make_interval(mins => grace.value) > $1::timestamptz
          ORDER BY b.starts_at`,
        [from, until],
      );
      return {
        lastChangeSeq: Number(head?.last_change_seq ?? 0),
        doors: doors.map(toDoorState),
        badges: badges.map((r: any) => ({ uidHash: r.uid_hash, badgeId: r.id, status: r.status, personId: r.person_id, roles: r.roles, missingDoorKeys: r.missing_door_keys })),
        memberships: memberships.map((r: any) => ({ personId: r.person_id, collectiveId: r.collective_id, startsAt: r.starts_at, endsAt: r.ends_at })),
        grants: grants.map((r: any) => ({ personId: r.person_id, qualificationId: r.qualification_id, grantedAt: r.granted_at, expiresAt: r.expires_at })),
        bookings: bookings.map((r: any) => ({
          id: r.id,
          status: r.status,
          endsAt: r.ends_at,
          collectiveId: r.collective_id,
          zoneId: r.zone_id,
          requiredQualificationId: r.required_qualification_id,
          opensAt: r.opens_at,
          closesAt: r.closes_at,
        })),
      };
    }, 'REPEATABLE READ');
  }

  /** Inserts access events; returns the ids actually inserted (an offline event uploaded twice is not, even after retention counted and deleted it). */
  async insertEvents(events: Array<Omit<AccessEventEntity, 'offline'> & { offline?: boolean }>): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const column = <K extends keyof AccessEventEntity>(key: K) => events.map((e) => e[key] ?? null);
    const rows = await this.db.prepared(
      'access-events',
      `INSERT INTO access_event (id, door_id, badge_id, person_id, at, decision, reason, booking_id, offline)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::text[], $7::text[], $8::uuid[], $9::boolean[])
                AS e(id, door_id, badge_id, person_id, at, decision, reason, booking_id, offline)
        -- Counted into attendance and deleted already: a duplicate too.
        WHERE NOT EXISTS (SELECT 1 FROM access_event_counted c WHERE c.id = e.id)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [column('id'), column('doorId'), column('badgeId'), column('personId'), column('at'), column('decision'), column('reason'), column('bookingId'), events.map((e) => e.offline ?? false)],
    );
    const inserted = new Set(rows.map((row: { id: string }) => row.id));
    if (inserted.size === 0) return inserted;
    // A twin that retention or an erasure was moving while that statement ran: ON CONFLICT
    // waited for the move to commit, then inserted, but NOT EXISTS had read the counted ids
    // before it. A statement of its own sees the move's commit, and undoes the insert.
    const countedMeanwhile = await this.db.prepared(
      'access-events-counted-meanwhile',
      `DELETE FROM access_event e USING access_event_counted c WHERE c.id = e.id AND e.id = ANY($1::uuid[]) RETURNING e.id`,
      [[...inserted]],
    );
    for (const row of countedMeanwhile as Array<{ id: string }>) inserted.delete(row.id);
    return inserted;
  }

  events(from: Date, to: Date, filter: { doorId?: string | null; personId?: string | null }): Promise<AccessEventEntity[]> {
    const query = this.db.repository(AccessEventEntity).createQueryBuilder('e').where('e.at >= :from AND e.at < :to', { from, to }).orderBy('e.at', 'DESC').limit(5000);
    if (filter.doorId) query.andWhere('e.doorId = :doorId', { doorId: filter.doorId });
    if (filter.personId) query.andWhere('e.personId = :personId', { personId: filter.personId });
    return query.getMany();
  }

  // ---------------------------------------------------------------- allowlists

  /** Active badges with this door's key, their holders' roles and current memberships. */
  async allowlistCandidates(doorId: string, from: Date, until: Date): Promise<Array<{ badgeId: string; personId: string; badgeKey: string; roles: string[]; memberships: Array<{ startsAt: Date; endsAt: Date | null }> }>> {
    const rows = await this.db.query(
      `SELECT b.id AS badge_id, b.person_id, k.badge_key, p.roles,
              coalesce(json_agg(json_build_object('startsAt', m.starts_at, 'endsAt', m.ends_at)) FILTER (WHERE m.id IS NOT NULL), '[]') AS memberships
         FROM badge b
         JOIN badge_door_key k ON k.badge_id = b.id AND k.door_id = $1
         JOIN person p ON p.id = b.person_id AND p.erased_at IS NULL
         LEFT JOIN membership m ON m.person_id = b.person_id AND m.starts_at < $3 AND (m.ends_at IS NULL OR m.ends_at > $2)
        WHERE b.status = 'ACTIVE'
        GROUP BY b.id, b.person_id, k.badge_key, p.roles`,
      [doorId, from, until],
    );
    return rows.map((r: any) => ({
      badgeId: r.badge_id,
      personId: r.person_id,
      badgeKey: r.badge_key,
      roles: r.roles,
      memberships: r.memberships.map((m: { startsAt: string; endsAt: string | null }) => ({ startsAt: new Date(m.startsAt), endsAt: m.endsAt ? new Date(m.endsAt) : null })),
    }));
  }

  /**
   * Booking windows (grace included) in the door's zone for each person, between from and
   * until, clipped to their memberships and, where the resource needs a qualification, to
   * each grant of it: a grant that expires during the booking closes the door then, offline
   * as online. A person may get several windows for one booking; the caller merges them.
   */
  async bookingWindows(zoneId: string, personIds: string[], from: Date, until: Date): Promise<Array<{ personId: string; from: Date; to: Date }>> {
    if (personIds.length === 0) return [];
    const windowFrom = `greatest(b.starts_at - make_interval(mins => grace.value), m.starts_at, coalesce(g.granted_at, '-infinity'))`;
    const windowTo = `least(b.ends_at + make_interval(mins => grace.value), coalesce(m.ends_at, 'infinity'), coalesce(g.expires_at, 'infinity'))`;
    const rows = await this.db.query(
      `SELECT m.person_id, ${windowFrom} AS window_from, ${windowTo} AS window_to
         FROM booking b
         JOIN resource r ON r.id = b.resource_id AND r.zone_id = $1
         ${GRACE_OF_RESOURCE}
         JOIN membership m ON m.collective_id = b.collective_id AND m.person_id = ANY($2)
         LEFT JOIN qualification_grant g ON r.required_qualification_id IS NOT NULL
                                        AND g.person_id = m.person_id AND g.qualification_id = r.required_qualification_id
        WHERE b.status IN ${ACTIVE}
          AND b.starts_at - make_interval(mins => grace.value) < $4 AND b.ends_at + make_interval(mins => grace.value) > $3
          AND (r.required_qualification_id IS NULL OR g.person_id IS NOT NULL)
          AND ${windowFrom} < ${windowTo}
        ORDER BY 2`,
      [zoneId, personIds, from, until],
    );
    return rows.map((r: any) => ({ personId: r.person_id, from: r.window_from, to: r.window_to }));
  }

  // ---------------------------------------------------------------- retention

  /**
   * Moves access events (those before `before`, or all of one person) into per-day
   * attendance (a keyed pseudonym per badge, and entries), then deletes them: attendance
   * survives, the events do not. Used by retention and by erasure.
   */
  async moveEventsToAttendance(which: { before: Date } | { personId: string }, pseudonymKey: string): Promise<number> {
    const [condition, value] = 'before' in which ? ['at < $1', which.before] : ['person_id = $1', which.personId];
    // One statement counts exactly the rows it deletes: an event committed meanwhile (a late
    // offline upload) waits for the next run instead of going uncounted, and a concurrent mover
    // (retention during an erasure) finds the rows it would count already gone.
    const [{ deleted }] = await this.db.query(
      `WITH moved AS (DELETE FROM access_event WHERE ${condition} RETURNING id, at, decision, badge_id),
       -- So that a door uploading one of them again is told it is a duplicate (insertEvents).
       remembered AS (INSERT INTO access_event_counted (id) SELECT id FROM moved ON CONFLICT DO NOTHING),
       counted AS (
         INSERT INTO attendance_visit (day, visitor, entries)
         SELECT (at AT TIME ZONE 'Europe/Brussels')::date, ${visitorPseudonym('$2', 'badge_id')}, count(*)
           FROM moved WHERE decision = 'ALLOW' AND badge_id IS NOT NULL
          GROUP BY 1, 2
         ON CONFLICT (day, visitor) DO UPDATE SET entries = attendance_visit.entries + EXCLUDED.entries)
       SELECT count(*)::int AS deleted FROM moved`,
      [value, pseudonymKey],
    );
    return deleted;
  }
}

/** The key of each signed request (door and signature), and the positions of the first request of each key. */
function distinctRequests(requests: Array<{ doorId: string; signature: string }>): { keys: string[]; distinct: number[] } {
  const keys = requests.map((r) => `${r.doorId} ${r.signature.toLowerCase()}`);
  const seen = new Set<string>();
  const distinct = keys.flatMap((key, i) => (seen.has(key) ? [] : (seen.add(key), [i])));
  return { keys, distinct };
}

/** SQL for the attendance pseudonym of a badge: a keyed hash, the same in every report. */
export function visitorPseudonym(keyParameter: string, badgeColumn: string): string {
  return `encode(sha256(convert_to(${keyParameter} || ${badgeColumn}::text, 'UTF8')), 'hex')`;
}

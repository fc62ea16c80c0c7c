import { MigrationInterface, QueryRunner } from 'typeorm';

export const ACTIVE_BOOKING_STATUSES = `('PENDING','CONFIRMED','CHECKED_IN')`;

/** Zones, resources, the house rule store with its founding values, and bookings. */
export class SpacesRulesBookings1764000000001 implements MigrationInterface {
  name = 'SpacesRulesBookings1764000000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE zone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        open_to_members_anytime boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX zone_name_key ON zone (lower(name))`);

    await db.query(`
      CREATE TABLE resource (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        kind text NOT NULL CHECK (kind IN ('ROOM','KITCHEN','WORKSHOP','COWORKING','STORAGE')),
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
        zone_id uuid NOT NULL REFERENCES zone(id),
        slot_minutes integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 1440 AND 1440 % slot_minutes = 0),
        min_minutes integer NOT NULL,
        max_minutes integer NOT NULL,
        buffer_minutes integer NOT NULL CHECK (buffer_minutes BETWEEN 0 AND 1440),
        required_qualification_id uuid REFERENCES qualification(id),
        requires_approval boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT resource_durations_valid CHECK (
          min_minutes >= slot_minutes AND max_minutes >= min_minutes AND max_minutes <= 44640
          AND min_minutes % slot_minutes = 0 AND max_minutes % slot_minutes = 0)
      )`);
    await db.query(`CREATE UNIQUE INDEX resource_name_key ON resource (lower(name))`);

    // Local wall-clock minutes since midnight; 1440 is "24:00".
    await db.query(`
      CREATE TABLE resource_opening_hours (
        resource_id uuid NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
        weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        opens_minute integer NOT NULL CHECK (opens_minute BETWEEN 0 AND 1439),
        closes_minute integer NOT NULL CHECK (closes_minute BETWEEN 1 AND 1440),
        CONSTRAINT opening_hours_order CHECK (closes_minute > opens_minute),
        PRIMARY KEY (resource_id, weekday, opens_minute)
      )`);

    await db.query(`
      CREATE TABLE resource_rate (
        resource_id uuid NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
        tier text NOT NULL CHECK (tier IN ('SOLIDARITY','REDUCED','STANDARD')),
        cents_per_hour integer NOT NULL CHECK (cents_per_hour BETWEEN 0 AND 1000000),
        PRIMARY KEY (resource_id, tier)
      )`);

    // History is kept: a value is current while valid_to is null.
    await db.query(`
      CREATE TABLE house_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL CHECK (key IN ('WEEKLY_QUOTA_MINUTES','MAX_ADVANCE_DAYS','CANCELLATION_NOTICE_MINUTES',
          'NO_SHOW_RELEASE_MINUTES','ACCESS_GRACE_MINUTES','QUORUM_PERCENT','ADOPTION_THRESHOLD_PERCENT',
          'DISCUSSION_MIN_HOURS','ACCESS_LOG_RETENTION_DAYS')),
        resource_id uuid REFERENCES resource(id),
        value integer NOT NULL,
        set_by_proposal_id uuid,
        set_by_person_id uuid REFERENCES person(id),
        valid_from timestamptz NOT NULL,
        valid_to timestamptz
      )`);
    await db.query(`
      CREATE UNIQUE INDEX house_rule_current_key ON house_rule
        (key, coalesce(resource_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE valid_to IS NULL`);
    await db.query(`
      INSERT INTO house_rule (key, value, valid_from) VALUES
        ('WEEKLY_QUOTA_MINUTES', 10080, now()),
        ('MAX_ADVANCE_DAYS', 90, now()),
        ('CANCELLATION_NOTICE_MINUTES', 60, now()),
        ('NO_SHOW_RELEASE_MINUTES', 30, now()),
        ('ACCESS_GRACE_MINUTES', 15, now()),
        ('QUORUM_PERCENT', 30, now()),
        ('ADOPTION_THRESHOLD_PERCENT', 50, now()),
        ('DISCUSSION_MIN_HOURS', 72, now()),
        ('ACCESS_LOG_RETENTION_DAYS', 90, now())`);

    // Adding minutes to an instant does not depend on the session time zone, which is
    // what lets this wrapper be IMMUTABLE and usable in the exclusion constraint.
    await db.query(`
      CREATE FUNCTION booking_hold(starts_at timestamptz, ends_at timestamptz, buffer_minutes integer)
      RETURNS tstzrange LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT tstzrange(starts_at, ends_at + make_interval(mins => buffer_minutes)) $$`);

    await db.query(`
      CREATE TABLE booking (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resource_id uuid NOT NULL REFERENCES resource(id),
        collective_id uuid NOT NULL REFERENCES collective(id),
        booked_by_id uuid REFERENCES person(id),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        buffer_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_minutes >= 0),
        status text NOT NULL CHECK (status IN ('PENDING','CONFIRMED','CHECKED_IN','COMPLETED','NO_SHOW','CANCELLED')),
        series_id uuid,
        rrule text,
        attendees integer CHECK (attendees IS NULL OR attendees >= 0),
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        checked_in_at timestamptz,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT booking_period_valid CHECK (ends_at > starts_at),
        CONSTRAINT booking_no_overlap EXCLUDE USING gist (
          resource_id WITH =, booking_hold(starts_at, ends_at, buffer_minutes) WITH &&)
          WHERE (status IN ${ACTIVE_BOOKING_STATUSES})
      )`);
    await db.query(`CREATE INDEX booking_resource_period_idx ON booking USING gist (resource_id, tstzrange(starts_at, ends_at))`);
    await db.query(`CREATE INDEX booking_collective_idx ON booking (collective_id, starts_at)`);
    await db.query(`CREATE INDEX booking_series_idx ON booking (series_id) WHERE series_id IS NOT NULL`);
    await db.query(`CREATE INDEX booking_awaiting_idx ON booking (starts_at) WHERE status IN ('PENDING','CONFIRMED','CHECKED_IN')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE booking, house_rule, resource_rate, resource_opening_hours, resource, zone`);
    await db.query(`DROP FUNCTION booking_hold`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** People, collectives, memberships, qualifications and the append-only event log. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await db.query(`
      CREATE TABLE app_secret (
        name text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Deliberately no column for legal ID, residence status, nationality or bank data.
    await db.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
        handle text NOT NULL CHECK (handle ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
        email text CHECK (email IS NULL OR (length(email) <= 254 AND position('@' in email) > 1)),
        locale text NOT NULL DEFAULT 'fr' CHECK (locale ~ '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$'),
        roles text[] NOT NULL DEFAULT '{MEMBER}'
          CHECK (roles <@ ARRAY['MEMBER','STEWARD','AUDITOR','ADMIN'] AND cardinality(roles) >= 1),
        password_hash text,
        invite_code_hash text,
        invite_expires_at timestamptz,
        calendar_token_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX person_handle_key ON person (handle)`);
    await db.query(`CREATE UNIQUE INDEX person_email_key ON person (lower(email))`);
    await db.query(`CREATE UNIQUE INDEX person_invite_code_key ON person (invite_code_hash) WHERE invite_code_hash IS NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX person_calendar_token_key ON person (calendar_token_hash) WHERE calendar_token_hash IS NOT NULL`);

    await db.query(`
      CREATE TABLE collective (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        form text NOT NULL CHECK (form IN ('INFORMAL','ASBL','COOPERATIVE','OTHER')),
        tariff_tier text NOT NULL CHECK (tariff_tier IN ('SOLIDARITY','REDUCED','STANDARD')),
        public_listing boolean NOT NULL DEFAULT false,
        description text CHECK (length(description) <= 2000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX collective_name_key ON collective (lower(name))`);

    // One person's memberships of one collective never overlap in time.
    await db.query(`
      CREATE TABLE membership (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        collective_id uuid NOT NULL REFERENCES collective(id),
        role text NOT NULL DEFAULT 'MEMBER' CHECK (role IN ('MEMBER','COORDINATOR')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT membership_period_valid CHECK (ends_at IS NULL OR ends_at > starts_at),
        CONSTRAINT membership_no_overlap EXCLUDE USING gist (
          person_id WITH =, collective_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
      )`);
    await db.query(`CREATE INDEX membership_collective_idx ON membership (collective_id)`);

    await db.query(`
      CREATE TABLE qualification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX qualification_name_key ON qualification (lower(name))`);

    await db.query(`
      CREATE TABLE qualification_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        qualification_id uuid NOT NULL REFERENCES qualification(id),
        granted_by_id uuid REFERENCES person(id),
        granted_at timestamptz NOT NULL,
        expires_at timestamptz,
        CONSTRAINT qualification_grant_once UNIQUE (person_id, qualification_id)
      )`);

    // Sequence numbers are assigned under an advisory lock held until commit (see
    // EventLogRepository), so seq order is commit order; rows are never changed.
    await db.query(`
      CREATE TABLE event_log (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id uuid,
        type text NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid,
        payload jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await db.query(`CREATE INDEX event_log_subject_idx ON event_log (subject_id)`);
    await db.query(`
      CREATE FUNCTION event_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event_log is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON event_log
      FOR EACH ROW EXECUTE FUNCTION event_log_is_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_log, qualification_grant, qualification, membership, collective, person, app_secret`);
    await db.query(`DROP FUNCTION event_log_is_append_only`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** Badges (uids only as keyed hashes), doors, access events, replay protection and the attendance kept after retention. */
export class BadgeAccess1764000000002 implements MigrationInterface {
  name = 'BadgeAccess1764000000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE badge (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
        uid_hash text NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','LOST','REVOKED')),
        issued_at timestamptz NOT NULL,
        status_changed_at timestamptz
      )`);
    // One active badge per uid; lost and revoked ones stay for the record.
    await db.query(`CREATE UNIQUE INDEX badge_active_uid_key ON badge (uid_hash) WHERE status = 'ACTIVE'`);
    await db.query(`CREATE INDEX badge_uid_idx ON badge (uid_hash)`);
    await db.query(`CREATE INDEX badge_person_idx ON badge (person_id)`);

    // The HMAC key a door controller shares with the server; HMAC needs the key itself.
    await db.query(`
      CREATE TABLE door (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        zone_id uuid NOT NULL REFERENCES zone(id),
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    // HMAC(door secret, uid) per badge and door, computed while the uid is known
    // (at issue, or when the badge is next presented), for the doors' offline allowlists.
    await db.query(`
      CREATE TABLE badge_door_key (
        badge_id uuid NOT NULL REFERENCES badge(id) ON DELETE CASCADE,
        door_id uuid NOT NULL REFERENCES door(id) ON DELETE CASCADE,
        badge_key text NOT NULL,
        PRIMARY KEY (badge_id, door_id)
      )`);

    await db.query(`
      CREATE TABLE access_event (
        id uuid PRIMARY KEY,
        door_id uuid NOT NULL REFERENCES door(id),
        badge_id uuid REFERENCES badge(id),
        person_id uuid REFERENCES person(id),
        at timestamptz NOT NULL,
        decision text NOT NULL CHECK (decision IN ('ALLOW','DENY')),
        reason text NOT NULL CHECK (length(reason) <= 40),
        booking_id uuid REFERENCES booking(id),
        offline boolean NOT NULL DEFAULT false,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX access_event_at_idx ON access_event (at)`);
    await db.query(`CREATE INDEX access_event_door_at_idx ON access_event (door_id, at)`);
    await db.query(`CREATE INDEX access_event_person_at_idx ON access_event (person_id, at)`);

    // A signed door request is accepted once: its signature is remembered past the 30 s window.
    await db.query(`
      CREATE TABLE door_request (
        door_id uuid NOT NULL REFERENCES door(id) ON DELETE CASCADE,
        signature text NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (door_id, signature)
      )`);
    await db.query(`CREATE INDEX door_request_at_idx ON door_request (at)`);

    // What the City's attendance report still needs once access events are deleted:
    // per local day, a pseudonym per badge (a keyed hash, not the badge) and its entries.
    await db.query(`
      CREATE TABLE attendance_visit (
        day date NOT NULL,
        visitor text NOT NULL,
        entries integer NOT NULL CHECK (entries > 0),
        PRIMARY KEY (day, visitor)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE attendance_visit, door_request, access_event, badge_door_key, door, badge`);
  }
}

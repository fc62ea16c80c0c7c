import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appending to the event log in one statement: lock the chain head, chain the hashes,
 * insert the entries, move the head and wake the listeners. The app computes each entry's
 * canonical content around its seq (only the head knows the seq), so a write that appends
 * costs one round trip while it holds the head, and a door decision can log itself inside
 * the very statement that records it.
 */
export class EventLogAppend1764000000006 implements MigrationInterface {
  name = 'EventLogAppend1764000000006';

  async up(db: QueryRunner): Promise<void> {
    // The last entry that is not a door decision: a door that decided from what it read at
    // some seq knows, by comparing, whether anything it read may have changed since.
    await db.query(`ALTER TABLE event_log_head ADD COLUMN last_change_seq bigint NOT NULL DEFAULT 0`);
    await db.query(`UPDATE event_log_head SET last_change_seq = coalesce((SELECT max(seq) FROM event_log WHERE type <> 'access.decided'), 0)`);
    await db.query(`
      CREATE FUNCTION event_log_append(
        ats timestamptz[], actor_ids uuid[], types text[], subject_types text[], subject_ids uuid[], payloads jsonb[],
        contents_before_seq text[], contents_after_seq text[]
      ) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        head_seq bigint;
        head_hash text;
        last_change bigint;
        first_seq bigint;
        prev_hashes text[] := '{}';
        hashes text[] := '{}';
      BEGIN
        IF coalesce(array_length(types, 1), 0) = 0 THEN
          RETURN NULL;
        END IF;
        -- FOR UPDATE waits for a concurrent appender and then reads the head it committed.
        SELECT seq, hash, last_change_seq INTO head_seq, head_hash, last_change FROM event_log_head FOR UPDATE;
        first_seq := head_seq + 1;
        FOR i IN 1 .. array_length(types, 1) LOOP
          head_seq := head_seq + 1;
          prev_hashes := prev_hashes || head_hash;
          -- Same bytes as chainHash() in src/audit/event-hash.ts.
          head_hash := encode(sha256(convert_to(head_hash || E'\\n' || contents_before_seq[i] || head_seq::text || contents_after_seq[i], 'UTF8')), 'hex');
          hashes := hashes || head_hash;
          IF types[i] <> 'access.decided' THEN
            last_change := head_seq;
          END IF;
        END LOOP;
        INSERT INTO event_log (seq, at, actor_id, type, subject_type, subject_id, payload, prev_hash, hash)
        SELECT first_seq + e.i - 1, e.at, e.actor_id, e.type, e.subject_type, e.subject_id, e.payload, e.prev_hash, e.hash
          FROM unnest(ats, actor_ids, types, subject_types, subject_ids, payloads, prev_hashes, hashes)
               WITH ORDINALITY AS e(at, actor_id, type, subject_type, subject_id, payload, prev_hash, hash, i);
        UPDATE event_log_head SET seq = head_seq, hash = head_hash, last_change_seq = last_change;
        PERFORM pg_notify('event_log', head_seq::text);
        RETURN head_seq;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION event_log_append`);
    await db.query(`ALTER TABLE event_log_head DROP COLUMN last_change_seq`);
  }
}

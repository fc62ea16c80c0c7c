import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chain head in a one-row table: appending locks and reads it in one statement
 * (SELECT ... FOR UPDATE) instead of taking an advisory lock and then reading the log.
 */
export class EventLogHead1764000000004 implements MigrationInterface {
  name = 'EventLogHead1764000000004';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_log_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seq bigint NOT NULL,
        hash text NOT NULL
      )`);
    await db.query(`
      INSERT INTO event_log_head (seq, hash)
      SELECT coalesce((SELECT seq FROM event_log ORDER BY seq DESC LIMIT 1), 0),
             coalesce((SELECT hash FROM event_log ORDER BY seq DESC LIMIT 1), repeat('0', 64))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_log_head`);
  }
}

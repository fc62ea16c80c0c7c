import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only trigger covered UPDATE and DELETE, not TRUNCATE: the app's own role could
 * empty the log and write back a shortened chain. TRUNCATE triggers fire per statement.
 */
export class EventLogNoTruncate1764000000008 implements MigrationInterface {
  name = 'EventLogNoTruncate1764000000008';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TRIGGER event_log_no_truncate BEFORE TRUNCATE ON event_log
      FOR EACH STATEMENT EXECUTE FUNCTION event_log_is_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER event_log_no_truncate ON event_log`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's export (GDPR art. 15) lists the log entries of what they did: found by actor.
 * Partial: door decisions, most of the log, have no actor.
 */
export class EventLogActorIndex1764000000009 implements MigrationInterface {
  name = 'EventLogActorIndex1764000000009';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX event_log_actor_idx ON event_log (actor_id) WHERE actor_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX event_log_actor_idx`);
  }
}

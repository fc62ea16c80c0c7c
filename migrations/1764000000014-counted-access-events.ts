import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ids of access events that retention or an erasure moved into attendance. A door that
 * uploads one of them again (its offline copy of a decision, after a long outage) would
 * otherwise find no row to conflict with, and the entry would be counted twice. Ids only:
 * random uuids that name no one (the event log keeps them anyway).
 */
export class CountedAccessEvents1764000000014 implements MigrationInterface {
  name = 'CountedAccessEvents1764000000014';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE access_event_counted (id uuid PRIMARY KEY)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE access_event_counted`);
  }
}

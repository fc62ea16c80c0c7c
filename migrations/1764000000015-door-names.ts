import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Doors carry their name in other languages too: a member reading Arabic finds "the workshop
 * door" in their own entries, and the steward reading the live list of decisions in theirs.
 */
export class DoorNames1764000000015 implements MigrationInterface {
  name = 'DoorNames1764000000015';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE door ADD COLUMN names jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE door ADD CONSTRAINT door_names_object CHECK (jsonb_typeof(names) = 'object')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE door DROP COLUMN names`);
  }
}

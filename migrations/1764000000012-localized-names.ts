import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Zones, spaces and trainings can carry their name in other languages than the house's
 * (language tag -> text), so that a member reading Arabic or Pashto finds "the kitchen" in it.
 */
export class LocalizedNames1764000000012 implements MigrationInterface {
  name = 'LocalizedNames1764000000012';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ['zone', 'resource', 'qualification']) {
      await db.query(`ALTER TABLE ${table} ADD COLUMN names jsonb NOT NULL DEFAULT '{}'`);
      await db.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_names_object CHECK (jsonb_typeof(names) = 'object')`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['zone', 'resource', 'qualification']) await db.query(`ALTER TABLE ${table} DROP COLUMN names`);
  }
}

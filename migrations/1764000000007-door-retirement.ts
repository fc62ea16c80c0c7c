import { MigrationInterface, QueryRunner } from 'typeorm';

/** A door can be retired (its controller lost, stolen or replaced): its secret opens nothing from then on. */
export class DoorRetirement1764000000007 implements MigrationInterface {
  name = 'DoorRetirement1764000000007';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE door ADD COLUMN retired_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE door DROP COLUMN retired_at`);
  }
}

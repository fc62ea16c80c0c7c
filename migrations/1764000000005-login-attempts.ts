import { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed logins per identifier (hashed), to slow down password guessing across instances. */
export class LoginAttempts1764000000005 implements MigrationInterface {
  name = 'LoginAttempts1764000000005';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE login_failure (
        identifier_hash text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE login_failure`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signing out. A token names its session generation and its own id: "sign out everywhere"
 * (a lost or shared phone) moves the person to the next generation, "sign out" lists the
 * one token until it would have expired anyway.
 */
export class Sessions1764000000010 implements MigrationInterface {
  name = 'Sessions1764000000010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE person ADD COLUMN session_generation integer NOT NULL DEFAULT 0`);
    await db.query(`
      CREATE TABLE revoked_token (
        token_id uuid PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX revoked_token_expires_idx ON revoked_token (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE revoked_token`);
    await db.query(`ALTER TABLE person DROP COLUMN session_generation`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A membership that has not started yet can be withdrawn: it then ends when it starts, an
 * empty period that is never active (no door, no booking, no vote) and stays on record.
 */
export class MembershipWithdrawal1764000000011 implements MigrationInterface {
  name = 'MembershipWithdrawal1764000000011';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE membership DROP CONSTRAINT membership_period_valid`);
    await db.query(`ALTER TABLE membership ADD CONSTRAINT membership_period_valid CHECK (ends_at IS NULL OR ends_at >= starts_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM membership WHERE ends_at = starts_at`);
    await db.query(`ALTER TABLE membership DROP CONSTRAINT membership_period_valid`);
    await db.query(`ALTER TABLE membership ADD CONSTRAINT membership_period_valid CHECK (ends_at IS NULL OR ends_at > starts_at)`);
  }
}

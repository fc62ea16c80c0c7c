import { MigrationInterface, QueryRunner } from 'typeorm';

const NOTIFY = `PERFORM pg_notify('event_log', head_seq::text);`;
/** last_change >= first_seq: this append holds an entry that is not a door decision (see 006). */
const NOTIFY_CHANGES_ONLY = `IF last_change >= first_seq THEN ${NOTIFY} END IF;`;

/**
 * Door decisions no longer notify. Each commit of decisions woke the LISTEN connection of
 * every instance, whose readers ignore decisions (snapshots, door pushes) except the
 * stewards' live list: the instance that records decisions wakes its own reader
 * (EventStream.doorDecisionsRecorded), and other instances read them with the next change
 * or poll. Changes notify as before.
 *
 * The function is edited in place (its body as PostgreSQL holds it, one statement replaced)
 * rather than restated, so that this migration cannot drift from 006's chaining.
 */
export class QuietDoorDecisions1764000000013 implements MigrationInterface {
  name = 'QuietDoorDecisions1764000000013';

  async up(db: QueryRunner): Promise<void> {
    await replaceInAppendFunction(db, NOTIFY, NOTIFY_CHANGES_ONLY);
  }

  async down(db: QueryRunner): Promise<void> {
    await replaceInAppendFunction(db, NOTIFY_CHANGES_ONLY, NOTIFY);
  }
}

async function replaceInAppendFunction(db: QueryRunner, from: string, to: string): Promise<void> {
  const [{ definition }] = await db.query(`SELECT pg_get_functiondef('event_log_append'::regproc) AS definition`);
  if (!(definition as string).includes(from)) throw new Error(`event_log_append() does not contain: ${from}`);
  await db.query((definition as string).replace(from, to));
}

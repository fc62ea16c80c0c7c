import { Client } from 'pg';
import { TestApp } from './test-app';

/**
 * Resolves once `count` sessions of the test's database wait for a lock: how a test knows
 * that competing requests have all reached the point it holds them at.
 */
export async function lockWaiters(t: TestApp, count: number): Promise<void> {
  for (;;) {
    const [{ n }] = await t.sql(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.datname = current_database() AND NOT l.granted`,
    );
    if (n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `sql` in a transaction of its own session and keeps its locks until release(). */
export async function holding(t: TestApp, sql: string, parameters: unknown[] = []): Promise<{ release(): Promise<void> }> {
  const session = new Client({ connectionString: t.databaseUrl });
  await session.connect();
  await session.query('BEGIN');
  await session.query(sql, parameters);
  return {
    async release() {
      await session.query('COMMIT');
      await session.end();
    },
  };
}

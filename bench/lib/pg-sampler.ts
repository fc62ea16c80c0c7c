import { Client } from 'pg';

export interface WaitProfile {
  samples: number;
  /** Average number of the app's backends in each state ("active CPU", "active Lock:transactionid", "idle in transaction"...). */
  average: Array<[string, number]>;
}

/**
 * Samples pg_stat_activity for the app's pool (application_name 'tiers-lieu') every `intervalMs`
 * on its own connection: what the app's connections are doing under load. "idle in transaction"
 * means PostgreSQL waits for the app's next statement (the app's event loop is the queue);
 * "active Lock:*" means a backend waits for a row lock another transaction holds.
 */
export async function startWaitSampler(url: string, intervalMs = 20): Promise<{ stop(): Promise<WaitProfile> }> {
  const client = new Client({ connectionString: url, application_name: 'tiers-lieu-bench-sampler' });
  await client.connect();
  const totals = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      // A connection the pool is still opening has no state yet.
      const { rows } = await client.query<{ state: string; count: number }>(
        `SELECT CASE WHEN state = 'active' THEN 'active ' || coalesce(wait_event_type || ':' || wait_event, 'CPU')
                     ELSE coalesce(state, 'connecting') END AS state, count(*)::int AS count
           FROM pg_stat_activity
          WHERE application_name = 'tiers-lieu' AND datname = current_database()
          GROUP BY 1`,
      );
      samples++;
      for (const row of rows) totals.set(row.state, (totals.get(row.state) ?? 0) + row.count);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end();
      const average = [...totals.entries()].map(([state, n]) => [state, n / Math.max(1, samples)] as [string, number]).sort((a, b) => b[1] - a[1]);
      return { samples, average };
    },
  };
}

export function describeWaits(profile: WaitProfile): string {
  return profile.average.map(([state, n]) => `${state} ${n.toFixed(1)}`).join(', ') + ` (average connections, ${profile.samples} samples)`;
}

import { ManualClock } from '../../src/common/time/clock';
import { readConfig } from '../../src/config/app-config';
import { HouseBuilder } from '../../test/support/house';
import { SpacesBuilder } from '../../test/support/spaces';
import { TestApp, startTestApp } from '../../test/support/test-app';

export interface QueryLog {
  sql: string;
  parameters: unknown[] | undefined;
}

/** The e2e tests' app, with the pool size the app runs with and a way to see its SQL. */
export interface BenchApp extends TestApp {
  clock: ManualClock;
  /** Records every SQL statement the app sends while `work` runs (use with nothing else in flight). */
  captureQueries<T>(work: () => Promise<T>): Promise<{ value: T; queries: QueryLog[] }>;
}

/** The real app on a migrated database, listening on a free loopback port; used over real HTTP. */
export async function startBenchApp(databaseUrl: string, clock: ManualClock): Promise<BenchApp> {
  const t = await startTestApp({ databaseUrl, clock, poolSize: readConfig({}).dbPoolSize });

  // TypeORM sends every statement through dataSource.logger.logQuery, whatever the logging option.
  let sink: QueryLog[] | null = null;
  const logger = t.dataSource.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (sql: string, parameters?: unknown[], runner?: any) => {
    if (sink) sink.push({ sql, parameters });
    return original(sql, parameters, runner);
  };

  return {
    ...t,
    clock,
    async captureQueries<T>(work: () => Promise<T>) {
      const queries: QueryLog[] = [];
      sink = queries;
      try {
        return { value: await work(), queries };
      } finally {
        sink = null;
      }
    },
  };
}

export function houseBuilder(t: BenchApp): HouseBuilder {
  return new HouseBuilder(t);
}

export function spacesBuilder(t: BenchApp, stewardToken: string): SpacesBuilder {
  return new SpacesBuilder(t, stewardToken);
}

import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { TokenService } from '../../src/common/auth/token.service';
import { ManualClock } from '../../src/common/time/clock';
import { readConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/data-source';
import { Db } from '../../src/database/db';
import { HouseBuilder } from '../../test/support/house';
import { SpacesBuilder } from '../../test/support/spaces';
import type { GqlResponse, TestApp } from '../../test/support/test-app';

export interface QueryLog {
  sql: string;
  parameters: unknown[] | undefined;
}

export interface BenchApp {
  app: INestApplication;
  baseUrl: string;
  dataSource: DataSource;
  db: Db;
  clock: ManualClock;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResponse<T>>;
  /** Like gql, but throws on any GraphQL error and returns data. */
  gqlOk<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<T>;
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  tokenFor(personId: string): Promise<string>;
  close(): Promise<void>;
  /** Records every SQL statement the app sends while `work` runs (use with nothing else in flight). */
  captureQueries<T>(work: () => Promise<T>): Promise<{ value: T; queries: QueryLog[] }>;
}

/** The real app on a migrated database, listening on a free loopback port; used over real HTTP. */
export async function startBenchApp(databaseUrl: string, clock: ManualClock): Promise<BenchApp> {
  const config = { ...readConfig({ DEMO: '0', SCHEDULER: '0' }), databaseUrl };
  const dataSource: DataSource = await openDatabase(databaseUrl, config.dbPoolSize);
  let app: INestApplication;
  try {
    app = await createApp({ config, dataSource, clock, logger: ['error'], clientDir: null });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;

  // TypeORM sends every statement through dataSource.logger.logQuery, whatever the logging option.
  let sink: QueryLog[] | null = null;
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (sql: string, parameters?: unknown[], runner?: any) => {
    if (sink) sink.push({ sql, parameters });
    return original(sql, parameters, runner);
  };

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<GqlResponse<T>> => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as GqlResponse<T>;
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200)}`, extensions: { code: `HTTP_${response.status}` } }] };
    }
  };

  return {
    app,
    baseUrl,
    dataSource,
    db: app.get(Db),
    clock,
    gql,
    async gqlOk<T>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<T> {
      const result = await gql<T>(query, variables, token);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data as T;
    },
    sql: (text, params = []) => dataSource.query(text, params),
    tokenFor: (personId) => app.get(TokenService).issue(personId),
    async captureQueries<T>(work: () => Promise<T>) {
      const queries: QueryLog[] = [];
      sink = queries;
      try {
        return { value: await work(), queries };
      } finally {
        sink = null;
      }
    },
    async close() {
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/*
 * The test builders make people, collectives and resources the way the e2e tests do. They only
 * use app, clock, tokenFor and gqlOk, which BenchApp has; the cast keeps the bench independent
 * of whatever else TestApp grows.
 */
export function houseBuilder(t: BenchApp): HouseBuilder {
  return new HouseBuilder(t as unknown as TestApp);
}

export function spacesBuilder(t: BenchApp, stewardToken: string): SpacesBuilder {
  return new SpacesBuilder(t as unknown as TestApp, stewardToken);
}

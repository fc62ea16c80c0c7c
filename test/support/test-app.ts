import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { Clock, ManualClock, SystemClock } from '../../src/common/time/clock';
import { readConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/data-source';
import { Db } from '../../src/database/db';
import { TokenService } from '../../src/common/auth/token.service';
import { cloneTemplate } from './test-database';

export interface GqlResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown }; path?: string[] }>;
}

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  dataSource: DataSource;
  db: Db;
  clock: Clock;
  /** Runs a GraphQL operation over real HTTP. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResponse<T>>;
  /** Like gql, but fails the test on any error and returns data. */
  gqlOk<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<T>;
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  tokenFor(personId: string): Promise<string>;
  /** Stops serving (the server is "down") but keeps the database for another instance. */
  stopServing(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clock?: Clock;
  /** Reuse a database (a second instance on the same database). */
  databaseUrl?: string;
  env?: Record<string, string>;
  port?: number;
  /** Serve the built web client (client/dist) at / like npm start does. */
  serveClient?: boolean;
  /** Connections in the app's pool (10). */
  poolSize?: number;
}

/** Boots the whole app on its own cloned database and a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.databaseUrl ? null : await cloneTemplate();
  const url = options.databaseUrl ?? database!.url;
  const dataSource = await openDatabase(url, options.poolSize ?? 10);
  const clock = options.clock ?? new SystemClock();
  const config = { ...readConfig({ DEMO: '0', SCHEDULER: '0', ...options.env }), databaseUrl: url };
  const clientDir = options.serveClient ? join(__dirname, '..', '..', 'client', 'dist') : null;
  const app = await createApp({ config, dataSource, clock, logger: ['error'], clientDir });
  await app.listen(options.port ?? 0, '127.0.0.1');
  let serving = true;
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<GqlResponse<T>> => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResponse<T>;
  };

  return {
    app,
    baseUrl,
    databaseUrl: url,
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
    tokenFor: (personId) => app.get(TokenService, { strict: false }).issue(personId),
    async stopServing() {
      if (!serving) return;
      serving = false;
      await app.close();
    },
    async close() {
      if (serving) await app.close();
      serving = false;
      await dataSource.destroy();
      await database?.drop();
    },
  };
}

export { ManualClock };

export function errorCodes(response: GqlResponse): Array<string | undefined> {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

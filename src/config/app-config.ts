import { resolve } from 'node:path';

/** Everything the app reads from its environment, read once at start. */
export interface AppConfig {
  port: number;
  /** Null: start an embedded PostgreSQL in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  jwtSecret: string | null;
  adminEmail: string | null;
  adminPassword: string | null;
  loadDemo: boolean;
  /** Public base URL used in links the app hands out (calendar feeds). */
  publicUrl: string | null;
  /** Background jobs (no-show release, vote closing, retention); off in tests that drive them by hand. */
  runScheduler: boolean;
  dbPoolSize: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: Number(env.PORT ?? 3000),
    databaseUrl: env.DATABASE_URL || null,
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    jwtSecret: env.JWT_SECRET || null,
    adminEmail: env.ADMIN_EMAIL || null,
    adminPassword: env.ADMIN_PASSWORD || null,
    loadDemo: env.DEMO !== '0',
    publicUrl: env.PUBLIC_URL || null,
    runScheduler: env.SCHEDULER !== '0',
    dbPoolSize: Number(env.DB_POOL_SIZE ?? 20),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

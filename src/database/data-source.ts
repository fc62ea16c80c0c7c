import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export function createDataSource(url: string, poolSize = 20): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
    // A request that cannot get a connection within 10 s fails instead of waiting for ever.
    extra: { max: poolSize, connectionTimeoutMillis: 10_000, application_name: 'tiers-lieu' },
  });
}

/** Connects and brings the schema up to date; safe when several instances start at once. */
export async function openDatabase(url: string, poolSize = 20): Promise<DataSource> {
  const dataSource = createDataSource(url, poolSize);
  await dataSource.initialize();
  const lock = 7_310_000;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [lock]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [lock]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}

import 'reflect-metadata';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { SystemClock } from './common/time/clock';
import { readConfig } from './config/app-config';
import { openDatabase } from './database/data-source';
import { RunningPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { DemoHouseService } from './demo/demo-house.service';

async function main(): Promise<void> {
  const logger = new Logger('TiersLieu');
  const config = readConfig();
  let embedded: RunningPostgres | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'));
    url = embedded.url;
    logger.log(`embedded PostgreSQL running on port ${embedded.port} (data in ${config.dataDir})`);
  }
  const dataSource = await openDatabase(url, config.dbPoolSize);
  const app = await createApp({ config, dataSource, clock: new SystemClock() });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping`);
    await app.close().catch((error) => logger.error(error));
    await dataSource.destroy().catch(() => undefined);
    await embedded?.stop().catch((error) => logger.error(error));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  const seeded = await app.get(DemoHouseService).seedOnFirstStart();
  await app.listen(config.port);
  const base = config.publicUrl ?? `http://localhost:${config.port}`;
  logger.log(`Tiers-Lieu is running: ${base}/ (GraphQL at ${base}/graphql)`);
  if (seeded.demoLogins.length) {
    logger.log('Demo logins (name / password, badge uid):');
    for (const login of seeded.demoLogins) {
      logger.log(`  ${login.handle.padEnd(8)} / ${login.password}   ${(login.badgeUid ?? '').padEnd(8)}   ${login.description}`);
    }
    for (const door of seeded.demoDoors) {
      logger.log(`Demo door "${door.name}": npm run door -- --door ${door.id} --secret ${door.secret} --url ${base}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

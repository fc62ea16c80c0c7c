import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/time/clock';
import { ActorResolver } from '../common/auth/auth.guard';
import { SessionsRepository } from '../common/auth/sessions.repository';
import { TokenService } from '../common/auth/token.service';
import { EventLogRepository } from '../audit/event-log.repository';
import { AppSecrets } from './app-secrets';
import { Db } from './db';
import { Scheduler } from './scheduler';

export interface InfrastructureOptions {
  config: AppConfig;
  dataSource: DataSource;
  clock: Clock;
}

/** What every module may use: configuration, the database, the clock, tokens and the event log. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: options.config },
      { provide: DataSource, useValue: options.dataSource },
      { provide: Clock, useValue: options.clock },
      Db,
      AppSecrets,
      SessionsRepository,
      TokenService,
      ActorResolver,
      EventLogRepository,
      Scheduler,
    ];
    return { module: InfrastructureModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { AuthGuard } from './common/auth/auth.guard';
import { AppErrorFilter } from './common/errors/app-error.filter';
import { formatGraphqlError } from './common/errors/format-graphql-error';
import { DateTimeScalar } from './common/time/date-time.scalar';
import { FreshLoadersForEachMutation } from './common/request-loaders';
import { createValidationPipe } from './common/validation/validation.pipe';
import { depthLimit } from './common/validation/depth-limit.rule';
import { InfrastructureModule, InfrastructureOptions } from './database/infrastructure.module';
import { MutationTransactionInterceptor } from './database/transaction.interceptor';
import { IdentityModule } from './identity/identity.module';
import { DemoModule } from './demo/demo.module';
import { SpacesModule } from './spaces/spaces.module';
import { GovernanceModule } from './governance/governance.module';
import { BookingsModule } from './bookings/bookings.module';
import { RealtimeModule } from './realtime/realtime.module';
import { AccessModule } from './access/access.module';
import { AuditModule } from './audit/audit.module';

export const FEATURE_MODULES = [IdentityModule, SpacesModule, GovernanceModule, BookingsModule, RealtimeModule, AccessModule, AuditModule, DemoModule];

@Module({})
export class AppModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(options),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          introspection: true,
          // Apollo's default landing page loads from a CDN; the house may run offline.
          playground: false,
          includeStacktraceInErrorResponses: false,
          formatError: formatGraphqlError,
          context: ({ req }: { req: unknown }) => ({ req }),
          validationRules: [depthLimit(10)],
          // No cache hints are used; the plugin would otherwise wrap every field.
          plugins: [ApolloServerPluginCacheControlDisabled()],
        }),
        ...FEATURE_MODULES,
      ],
      providers: [
        DateTimeScalar,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AppErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: MutationTransactionInterceptor },
        { provide: APP_INTERCEPTOR, useClass: FreshLoadersForEachMutation },
      ],
    };
  }
}

import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { Observable, from, lastValueFrom } from 'rxjs';
import { Db } from './db';

const OWN_TRANSACTIONS = 'tiers-lieu:own-transactions';

/**
 * For a mutation that does slow work (a password hash) before or without writing: it opens
 * its own transactions around its writes, so that the slow part holds no pooled connection.
 * Under a burst of logins, connections held by hashing requests starved the pool.
 */
export const OwnTransactions = () => SetMetadata(OWN_TRANSACTIONS, true);

/** One transaction per GraphQL mutation: repositories called by it are bound to it. */
@Injectable()
export class MutationTransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly db: Db,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const info = GqlExecutionContext.create(context).getInfo();
    if (info?.parentType?.name !== 'Mutation') return next.handle();
    if (this.reflector.get<boolean>(OWN_TRANSACTIONS, context.getHandler())) return next.handle();
    return from(this.db.transaction(() => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}

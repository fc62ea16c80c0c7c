import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { Observable, from, lastValueFrom } from 'rxjs';
import { Db } from './db';

/** One transaction per GraphQL mutation: repositories called by it are bound to it. */
@Injectable()
export class MutationTransactionInterceptor implements NestInterceptor {
  constructor(private readonly db: Db) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const info = GqlExecutionContext.create(context).getInfo();
    if (info?.parentType?.name !== 'Mutation') return next.handle();
    return from(this.db.transaction(() => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}

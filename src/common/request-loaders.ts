import { CallHandler, ExecutionContext, Injectable, NestInterceptor, createParamDecorator } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { Observable } from 'rxjs';

type BatchFn<V> = (ids: string[]) => Promise<V[]>;

/**
 * Collects the ids asked for in one tick and fetches them in one query: a list of 500
 * bookings resolves its resources with one SELECT instead of 500.
 */
export class BatchLoader<V extends { id: string }> {
  private readonly cache = new Map<string, Promise<V | null>>();
  private pending = new Map<string, Array<(value: V | null) => void>>();
  private failures = new Map<string, Array<(error: unknown) => void>>();

  constructor(private readonly fetch: BatchFn<V>) {}

  load(id: string): Promise<V | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const promise = new Promise<V | null>((resolve, reject) => {
      if (this.pending.size === 0) process.nextTick(() => void this.flush());
      this.pending.set(id, [...(this.pending.get(id) ?? []), resolve]);
      this.failures.set(id, [...(this.failures.get(id) ?? []), reject]);
    });
    this.cache.set(id, promise);
    return promise;
  }

  private async flush(): Promise<void> {
    const pending = this.pending;
    const failures = this.failures;
    this.pending = new Map();
    this.failures = new Map();
    try {
      const found = new Map((await this.fetch([...pending.keys()])).map((value) => [value.id, value]));
      for (const [id, resolvers] of pending) for (const resolve of resolvers) resolve(found.get(id) ?? null);
    } catch (error) {
      for (const rejects of failures.values()) for (const reject of rejects) reject(error);
    }
  }
}

/** One set of loaders per GraphQL request, so nothing is cached across requests. */
export class RequestLoaders {
  private readonly loaders = new Map<string, BatchLoader<any>>();
  private readonly values = new Map<string, Promise<unknown>>();

  /** A value computed once per request (e.g. the caller's collectives). */
  once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.values.has(key)) this.values.set(key, compute());
    return this.values.get(key) as Promise<T>;
  }

  for<V extends { id: string }>(name: string, fetch: BatchFn<V>): BatchLoader<V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new BatchLoader(fetch);
      this.loaders.set(name, loader);
    }
    return loader;
  }
}

export const Loaders = createParamDecorator((_: unknown, context: ExecutionContext): RequestLoaders => {
  const gql = GqlExecutionContext.create(context).getContext<{ loaders?: RequestLoaders }>();
  gql.loaders ??= new RequestLoaders();
  return gql.loaders;
});

/**
 * The mutations of one document run one after the other, each followed by the fields it
 * returns: a later mutation's result must not show what an earlier one's result cached
 * (a membership it just ended, read as still open).
 */
@Injectable()
export class FreshLoadersForEachMutation implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() === 'graphql') {
      const gql = GqlExecutionContext.create(context);
      if (gql.getInfo()?.parentType?.name === 'Mutation') gql.getContext<{ loaders?: RequestLoaders }>().loaders = undefined;
    }
    return next.handle();
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

/**
 * Leads the statements of a refresh that runs in the background, on no one's request, so
 * that a statement log (and the tests that count a request's statements) tells them apart.
 */
export const BACKGROUND_READ = '/* background read */';

/** The node-postgres client or pool, for named prepared statements. */
interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: any[] }>;
}

interface UnitOfWork {
  manager: EntityManager;
  client: PgQueryable;
  beforeCommit: Array<() => Promise<void>>;
  afterCommit: Array<() => void>;
  /** Buffers that live as long as the transaction (see unitList). */
  lists: Map<symbol, unknown[]>;
  savepoints: number;
}

/**
 * The only door to the database. Inside `transaction()` every repository call made in
 * the same async flow uses that transaction, so a mutation and everything it appends
 * (the event log included) commit or roll back together.
 */
@Injectable()
export class Db {
  private readonly storage = new AsyncLocalStorage<UnitOfWork>();

  constructor(readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  repository<Entity extends ObjectLiteral>(target: EntityTarget<Entity>): Repository<Entity> {
    return this.manager.getRepository(target);
  }

  query<Row = any>(sql: string, parameters: unknown[] = []): Promise<Row[]> {
    return this.manager.query(sql, parameters);
  }

  /**
   * A named prepared statement: PostgreSQL plans it once per connection instead of at
   * every call. For the hot paths (bookings, door decisions) whose SQL text never varies.
   */
  async prepared<Row = any>(name: string, sql: string, parameters: unknown[] = []): Promise<Row[]> {
    const unit = this.storage.getStore();
    const target = unit?.client ?? ((this.dataSource.driver as unknown as { master: PgQueryable }).master);
    // Through TypeORM's logger like every other statement, so logging and statement counts still see it.
    this.dataSource.logger.logQuery(sql, parameters);
    const result = await target.query({ name, text: sql, values: parameters });
    return result.rows;
  }

  async one<Row = any>(sql: string, parameters: unknown[] = []): Promise<Row | undefined> {
    const rows = await this.query<Row>(sql, parameters);
    return rows[0];
  }

  /**
   * Runs `work` in a transaction, or inside the current one when already in a transaction.
   * Reports ask for REPEATABLE READ so that everything they read comes from one snapshot.
   */
  async transaction<T>(work: () => Promise<T>, isolation?: 'REPEATABLE READ' | 'SERIALIZABLE'): Promise<T> {
    if (this.inTransaction) return work();
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PgQueryable;
    const unit: UnitOfWork = { manager: runner.manager, client, beforeCommit: [], afterCommit: [], lists: new Map(), savepoints: 0 };
    try {
      await runner.startTransaction(isolation);
      const result = await this.storage.run(unit, async () => {
        const value = await work();
        for (const hook of unit.beforeCommit) await hook();
        return value;
      });
      await runner.commitTransaction();
      for (const hook of unit.afterCommit) hook();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs `work` inside a savepoint of the current transaction: if it fails, what it wrote is
   * rolled back, and so are the hooks and buffered items (unitList) it added, while the
   * transaction goes on. For batches where one item must not stop the others.
   */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const unit = this.requireUnit();
    const name = `savepoint_${++unit.savepoints}`;
    const before = unit.beforeCommit.length;
    const after = unit.afterCommit.length;
    const lists = new Map([...unit.lists].map(([key, list]) => [key, list.length]));
    await this.query(`SAVEPOINT ${name}`);
    try {
      const value = await work();
      await this.query(`RELEASE SAVEPOINT ${name}`);
      return value;
    } catch (error) {
      await this.query(`ROLLBACK TO SAVEPOINT ${name}`);
      unit.beforeCommit.length = before;
      unit.afterCommit.length = after;
      for (const [key, list] of unit.lists) {
        const length = lists.get(key);
        if (length === undefined) unit.lists.delete(key);
        else list.length = length;
      }
      throw error;
    }
  }

  /** A list that lives as long as the current transaction, and whether this call created it. */
  unitList<T>(key: symbol): { list: T[]; created: boolean } {
    const unit = this.requireUnit();
    const existing = unit.lists.get(key) as T[] | undefined;
    if (existing) return { list: existing, created: false };
    const list: T[] = [];
    unit.lists.set(key, list);
    return { list, created: true };
  }

  /** Registers work that must run last inside the current transaction (once per key). */
  beforeCommit(hook: () => Promise<void>): void {
    const unit = this.requireUnit();
    unit.beforeCommit.push(hook);
  }

  afterCommit(hook: () => void): void {
    this.requireUnit().afterCommit.push(hook);
  }

  private requireUnit(): UnitOfWork {
    const unit = this.storage.getStore();
    if (!unit) throw new Error('This state change must run inside Db.transaction()');
    return unit;
  }
}

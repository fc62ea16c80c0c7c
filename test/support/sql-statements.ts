import { BACKGROUND_READ } from '../../src/database/db';
import { TestApp } from './test-app';

/**
 * Records the SQL the app sends (TypeORM passes every statement to its logger's logQuery,
 * whatever the logging option) until stop().
 */
export function recordStatements(t: TestApp): { statements: string[]; stop(): void } {
  const statements: string[] = [];
  const logger = t.dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (sql, parameters, runner) => (statements.push(sql), logQuery(sql, parameters, runner));
  return { statements, stop: () => (logger.logQuery = logQuery) };
}

/**
 * How many of these statements read one of these tables: what a query under test sends, not
 * the event stream's, the jobs' nor the door snapshot's refresh, which run when they will.
 */
export function statementsReading(statements: string[], tables: string[]): number {
  const reads = new RegExp(`\\b(FROM|JOIN)\\s+"?(${tables.join('|')})"?(\\s|\\)|$)`);
  return statements.filter((sql) => !sql.startsWith(BACKGROUND_READ) && reads.test(sql)).length;
}

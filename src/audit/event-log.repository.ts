import { Injectable } from '@nestjs/common';
import { uuidKey } from '../common/ids';
import { Db } from '../database/db';
import { Clock } from '../common/time/clock';
import { AppendEvent, DomainEventType, LoggedEvent } from './domain-events';
import { canonicalJson, contentAroundSeq } from './event-hash';

/** Notified by event_log_append() (migrations) with the last seq it appended. */
export const EVENT_LOG_CHANNEL = 'event_log';

/** The events a transaction appends, written just before it commits. */
const BUFFERED_EVENTS = Symbol('buffered events');

/**
 * The append-only event log. Events are buffered during the transaction and written
 * just before commit by event_log_append() (a migration), which holds the row lock of the
 * chain head (event_log_head) until commit: the lock is held only for that short tail, so
 * seq order is commit order and a reader that has seen seq N can never later find a
 * committed N-1.
 */
@Injectable()
export class EventLogRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  append<K extends DomainEventType>(event: AppendEvent<K>): void {
    const { list, created } = this.db.unitList<AppendEvent>(BUFFERED_EVENTS);
    if (created) this.db.beforeCommit(() => this.flush(list));
    list.push(event as AppendEvent);
  }

  private async flush(events: AppendEvent[]): Promise<void> {
    if (events.length === 0) return;
    const [sql, parameters] = this.appendCall(events, this.clock.now());
    await this.db.prepared('event-log-append', `SELECT ${sql}`, parameters);
  }

  /**
   * The SQL expression that appends `events` (taking the chain head's lock until commit),
   * and its parameters from `$firstParameter` on: for a statement that also makes the change
   * the events report. With `onlyWhere`, only the events whose 1-based position `e.n`
   * satisfies it are appended (none: nothing is, and the expression is null).
   */
  appendCall(events: AppendEvent[], at: Date, firstParameter = 1, onlyWhere?: string): [sql: string, parameters: unknown[]] {
    const columns: unknown[][] = [[], [], [], [], [], [], [], []];
    for (const event of events) {
      // One text for both the bytes hashed and the jsonb stored: canonical JSON is JSON.
      const payloadJson = canonicalJson(event.payload);
      // Ids hashed as the uuid columns give them back to the verifier: an id a client wrote in capitals is stored in lower case.
      const actorId = event.actorId && uuidKey(event.actorId);
      const subjectId = event.subjectId && uuidKey(event.subjectId);
      const [before, after] = contentAroundSeq({ at, type: event.type, actorId, subjectType: event.subjectType, subjectId, payloadJson });
      [at, actorId, event.type, event.subjectType, subjectId, payloadJson, before, after].forEach((value, i) => columns[i].push(value));
    }
    const placeholders = ['timestamptz[]', 'uuid[]', 'text[]', 'text[]', 'uuid[]', 'jsonb[]', 'text[]', 'text[]'].map((type, i) => `$${firstParameter + i}::${type}`);
    if (!onlyWhere) return [`event_log_append(${placeholders.join(', ')})`, columns];
    const names = ['at', 'actor_id', 'type', 'subject_type', 'subject_id', 'payload', 'before_seq', 'after_seq'];
    return [
      `(SELECT event_log_append(${names.map((name) => `array_agg(e.${name} ORDER BY e.n)`).join(', ')})
          FROM unnest(${placeholders.join(', ')}) WITH ORDINALITY AS e(${names.join(', ')}, n) WHERE ${onlyWhere})`,
      columns,
    ];
  }

  async latestSeq(): Promise<number> {
    const row = await this.db.one<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM event_log');
    return Number(row?.seq ?? 0);
  }

  /**
   * With `accessPersons`, each door decision comes with the person of its access event while
   * that is kept: one read by key per decision, so only for readers that show it.
   */
  async readAfter(seq: number, limit = 1000, types?: DomainEventType[], options: { accessPersons?: boolean } = {}): Promise<LoggedEvent[]> {
    const accessPerson = options.accessPersons
      ? `CASE WHEN type = 'access.decided' THEN (SELECT a.person_id FROM access_event a WHERE a.id = (e.payload->>'eventId')::uuid) END`
      : 'NULL::uuid';
    const rows = await this.db.query(
      `SELECT seq, at, type, actor_id, subject_type, subject_id, payload, ${accessPerson} AS access_person_id
         FROM event_log e
        WHERE seq > $1 AND ($3::text[] IS NULL OR type = ANY($3)) ORDER BY seq LIMIT $2`,
      [seq, limit, types ?? null],
    );
    return rows.map((row: any) => ({
      seq: Number(row.seq),
      at: row.at,
      type: row.type,
      actorId: row.actor_id,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      payload: row.payload,
      ...(row.type === 'access.decided' ? { accessPersonId: row.access_person_id } : {}),
    }));
  }
}

import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { Clock } from '../common/time/clock';
import { AppendEvent, DomainEventType, LoggedEvent } from './domain-events';
import { GENESIS_HASH, chainHash } from './event-hash';

export const EVENT_LOG_CHANNEL = 'event_log';

interface Pending {
  events: AppendEvent[];
}

/**
 * The append-only event log. Events are buffered during the transaction and written
 * just before commit while holding the row lock of the chain head (event_log_head):
 * the lock is held only for that short tail, so seq order is commit order and a reader
 * that has seen seq N can never later find a committed N-1.
 */
@Injectable()
export class EventLogRepository {
  private readonly pending = new WeakMap<object, Pending>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  append<K extends DomainEventType>(event: AppendEvent<K>): void {
    const unitKey = this.db.manager;
    let buffer = this.pending.get(unitKey);
    if (!buffer) {
      buffer = { events: [] };
      this.pending.set(unitKey, buffer);
      const events = buffer.events;
      this.db.beforeCommit(() => this.flush(events));
    }
    buffer.events.push(event as AppendEvent);
  }

  private async flush(events: AppendEvent[]): Promise<void> {
    if (events.length === 0) return;
    // FOR UPDATE waits for a concurrent appender and then reads the head it committed.
    const [head] = await this.db.prepared<{ seq: string; hash: string }>('event-log-head', 'SELECT seq, hash FROM event_log_head FOR UPDATE');
    let seq = head ? Number(head.seq) : 0;
    let previousHash = head?.hash ?? GENESIS_HASH;
    const at = this.clock.now();
    const rows: unknown[][] = [];
    for (const event of events) {
      seq += 1;
      const payload = JSON.parse(JSON.stringify(event.payload));
      const hash = chainHash(previousHash, { seq, at, type: event.type, actorId: event.actorId, subjectType: event.subjectType, subjectId: event.subjectId, payload });
      rows.push([seq, at, event.actorId, event.type, event.subjectType, event.subjectId, JSON.stringify(payload), previousHash, hash]);
      previousHash = hash;
    }
    const values = rows.map((_, i) => `($${i * 9 + 1}, $${i * 9 + 2}, $${i * 9 + 3}, $${i * 9 + 4}, $${i * 9 + 5}, $${i * 9 + 6}, $${i * 9 + 7}::jsonb, $${i * 9 + 8}, $${i * 9 + 9})`);
    // One round trip while the lock is held: append, move the head, wake the listeners (at commit).
    const headParams = rows.length * 9;
    await this.db.prepared(
      `event-log-append-${rows.length}`,
      `WITH appended AS (INSERT INTO event_log (seq, at, actor_id, type, subject_type, subject_id, payload, prev_hash, hash) VALUES ${values.join(', ')} RETURNING seq),
            moved AS (UPDATE event_log_head SET seq = $${headParams + 1}, hash = $${headParams + 2})
       SELECT pg_notify('${EVENT_LOG_CHANNEL}', max(seq)::text) FROM appended`,
      [...rows.flat(), seq, previousHash],
    );
  }

  async latestSeq(): Promise<number> {
    const row = await this.db.one<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM event_log');
    return Number(row?.seq ?? 0);
  }

  async readAfter(seq: number, limit = 1000, types?: DomainEventType[]): Promise<LoggedEvent[]> {
    const rows = await this.db.query(
      `SELECT seq, at, type, actor_id, subject_type, subject_id, payload FROM event_log
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
    }));
  }
}

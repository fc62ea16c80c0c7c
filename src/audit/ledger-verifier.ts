import { GENESIS_HASH, chainHash } from './event-hash';

export interface LedgerCheck {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  /** The first entry whose content, link or number does not match the chain. */
  firstBroken: { seq: number; reason: string } | null;
}

type Query = (sql: string, params: unknown[]) => Promise<any[]>;

/**
 * Recomputes the hash chain of the event log from the first entry and names the first broken
 * one. The chain must also reach the head that appends keep beside it (event_log_head): a log
 * cut short and chained again up to its new end is intact by its hashes alone.
 */
export async function verifyLedger(query: Query, batchSize = 5000): Promise<LedgerCheck> {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let head: LedgerCheck['head'] = null;
  // Read first: appends only add to it, so the log read next holds at least this entry.
  const [recordedHead] = await query(`SELECT seq, hash FROM event_log_head`, []);
  const headSeq = recordedHead ? Number(recordedHead.seq) : 0;
  for (;;) {
    const rows = await query(
      `SELECT seq, at, actor_id, type, subject_type, subject_id, payload, prev_hash, hash FROM event_log WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [expectedSeq, batchSize],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      const broken = (reason: string): LedgerCheck => ({ ok: false, checked, head, firstBroken: { seq, reason } });
      if (seq !== expectedSeq) return { ok: false, checked, head, firstBroken: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` } };
      if (row.prev_hash !== previousHash) return broken('its link to the previous entry does not match');
      const hash = chainHash(previousHash, { seq, at: row.at, type: row.type, actorId: row.actor_id, subjectType: row.subject_type, subjectId: row.subject_id, payload: row.payload });
      if (hash !== row.hash) return broken('its content does not match its hash');
      if (seq === headSeq && hash !== recordedHead.hash) return broken('its hash is not the one the chain head recorded');
      previousHash = hash;
      head = { seq, hash };
      expectedSeq++;
      checked++;
    }
    if (rows.length < batchSize) {
      if (expectedSeq <= headSeq) return { ok: false, checked, head, firstBroken: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing (the chain head is at ${headSeq})` } };
      return { ok: true, checked, head, firstBroken: null };
    }
  }
}

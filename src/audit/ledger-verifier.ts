import { GENESIS_HASH, chainHash } from './event-hash';

export interface LedgerCheck {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  /** The first entry whose content, link or number does not match the chain. */
  firstBroken: { seq: number; reason: string } | null;
}

type Query = (sql: string, params: unknown[]) => Promise<any[]>;

/** Recomputes the hash chain of the event log from the first entry and names the first broken one. */
export async function verifyLedger(query: Query, batchSize = 5000): Promise<LedgerCheck> {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let head: LedgerCheck['head'] = null;
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
      previousHash = hash;
      head = { seq, hash };
      expectedSeq++;
      checked++;
    }
    if (rows.length < batchSize) return { ok: true, checked, head, firstBroken: null };
  }
}

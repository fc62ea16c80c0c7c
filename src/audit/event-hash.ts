import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, so that the same content always hashes the same. Values are
 * turned into JSON as JSON.stringify does (toJSON, so a Date is its ISO string; undefined keys
 * left out), so the text is also what PostgreSQL stores and gives back.
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  let text = '';
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    text += `${text ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return `{${text}}`;
}

export interface HashedContent {
  seq: number;
  at: Date;
  type: string;
  actorId: string | null;
  subjectType: string;
  subjectId: string | null;
  payload: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * An entry's canonical content split where its seq goes (keys sort actorId, at, payload,
 * seq, ...): the seq is only known once the chain head is locked, in event_log_append().
 */
export function contentAroundSeq(entry: Omit<HashedContent, 'seq' | 'payload'> & { payloadJson: string }): [before: string, after: string] {
  const before = `{"actorId":${canonicalJson(entry.actorId)},"at":${canonicalJson(entry.at.toISOString())},"payload":${entry.payloadJson},"seq":`;
  const after = `,"subjectId":${canonicalJson(entry.subjectId)},"subjectType":${canonicalJson(entry.subjectType)},"type":${canonicalJson(entry.type)}}`;
  return [before, after];
}

/** Each entry's hash covers the previous hash and its own canonical content. */
export function chainHash(previousHash: string, entry: HashedContent): string {
  const content = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    type: entry.type,
    actorId: entry.actorId,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    payload: entry.payload,
  });
  return createHash('sha256').update(previousHash).update('\n').update(content).digest('hex');
}

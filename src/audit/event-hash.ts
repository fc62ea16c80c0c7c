import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so that the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
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
export function contentAroundSeq(entry: Omit<HashedContent, 'seq'>): [before: string, after: string] {
  const before = `{"actorId":${canonicalJson(entry.actorId)},"at":${canonicalJson(entry.at.toISOString())},"payload":${canonicalJson(entry.payload)},"seq":`;
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

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

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signed HTTP protocol of the door controllers, small enough for a microcontroller:
 * X-Door-Signature = hex HMAC-SHA256(door secret, timestamp + "\n" + METHOD + "\n" + path with query + "\n" + raw body).
 * Shared by the server and the reference controller in tools/door-controller.
 */
export const DOOR_ID_HEADER = 'x-door-id';
export const DOOR_TIMESTAMP_HEADER = 'x-door-timestamp';
export const DOOR_SIGNATURE_HEADER = 'x-door-signature';
export const ALLOWLIST_SIGNATURE_HEADER = 'x-allowlist-signature';
export const MAX_CLOCK_SKEW_MS = 30_000;
/** The 401 message to a retired door (its controller lost, stolen or replaced). */
export const RETIRED_DOOR = 'This door was retired: its requests are refused.';
/** The socket.io handshake signs this request line, with an empty body. */
export const DOORS_NAMESPACE = '/doors';

export function hmacHex(secret: string, message: string | Buffer): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function signDoorRequest(secret: string, timestamp: number | string, method: string, pathWithQuery: string, body: string | Buffer = ''): string {
  return hmacHex(secret, Buffer.concat([Buffer.from(`${timestamp}\n${method.toUpperCase()}\n${pathWithQuery}\n`), Buffer.from(body)]));
}

export function signaturesEqual(expected: string, given: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given.toLowerCase(), 'hex'));
}

/** Card readers report uids in various cases and separators; "04:a1:b2:c3" is 04A1B2C3. */
export function normalizeUid(uid: string): string | null {
  const hex = uid.replace(/[\s:-]/g, '').toUpperCase();
  return /^[0-9A-F]{4,32}$/.test(hex) ? hex : null;
}

/** What a door keeps to decide alone: badgeKey = HMAC(door secret, uid). */
export function badgeKey(doorSecret: string, normalizedUid: string): string {
  return hmacHex(doorSecret, normalizedUid);
}

export interface AllowlistEntry {
  badgeKey: string;
  anytime?: true;
  windows?: Array<{ from: string; to: string }>;
}

export interface Allowlist {
  doorId: string;
  generatedAt: string;
  validUntil: string;
  entries: AllowlistEntry[];
}

/**
 * POST /access/v1/decisions. `eventId` is optional: the door's own id for the decision, so
 * that if the answer comes too late and the door uploads its offline decision under that id,
 * the server keeps one entry, not two.
 */
export interface DecisionRequestBody {
  badgeUid: string;
  eventId?: string;
}

export interface DecisionResponse {
  decision: 'ALLOW' | 'DENY';
  reason: string;
  eventId: string;
  bookingId?: string;
}

export interface OfflineEvent {
  id: string;
  badgeUid: string;
  at: string;
  decision: 'ALLOW' | 'DENY';
  reason: string;
}

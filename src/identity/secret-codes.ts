import { createHash, randomBytes, randomInt } from 'node:crypto';

// No 0/O, 1/I/L: invite codes are read aloud and typed on phones.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A one-time code like "K7M2-P9QX-4TRB" (about 59 bits). */
export function newInviteCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

export function normalizeInviteCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** Codes and tokens are high-entropy, so a plain SHA-256 is enough to keep them unusable if the database leaks. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newUrlToken(): string {
  return randomBytes(32).toString('base64url');
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppSecrets } from '../database/app-secrets';

const SECRET_NAME = 'device-key';
/** A phone shared in a family or a collective may keep the keys of a few people. */
export const MAX_DEVICE_KEYS = 10;

/**
 * A device key says "this device has logged in as this person before". Its login attempts
 * are counted apart from everyone else's, so that a stranger guessing a person's password
 * (or locking them out on purpose) does not lock them out on their own phone. It opens
 * nothing by itself: the password is still checked, and its own attempts are limited too.
 * Nothing is stored: the key is a nonce and its HMAC with the person's id.
 */
@Injectable()
export class DeviceKeys {
  constructor(private readonly secrets: AppSecrets) {}

  async issue(personId: string): Promise<string> {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}.${await this.mac(personId, nonce)}`;
  }

  /** The first of the keys sent that this person's device was given, if any. */
  async matching(personId: string, keys: readonly string[]): Promise<string | null> {
    for (const key of keys.slice(0, MAX_DEVICE_KEYS)) {
      const [nonce, mac, extra] = key.split('.');
      if (!nonce || !mac || extra !== undefined || nonce.length > 64 || mac.length > 64) continue;
      const expected = Buffer.from(await this.mac(personId, nonce));
      const given = Buffer.from(mac);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return key;
    }
    return null;
  }

  private async mac(personId: string, nonce: string): Promise<string> {
    return createHmac('sha256', await this.secrets.get(SECRET_NAME)).update(`${personId}:${nonce}`).digest('base64url');
  }
}

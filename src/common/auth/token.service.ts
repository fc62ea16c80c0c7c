import { KeyObject, createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppSecrets } from '../../database/app-secrets';

const TOKEN_LIFETIME = '30d';

/** Bearer tokens: HS256 JWTs whose subject is the person id. */
@Injectable()
export class TokenService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: AppSecrets,
  ) {}

  private key: KeyObject | undefined;

  /** A key object, built once: given a string, jsonwebtoken tries it as a public key on every call. */
  private async secret(): Promise<KeyObject> {
    this.key ??= createSecretKey(Buffer.from(this.config.jwtSecret ?? (await this.secrets.get('jwt')), 'utf8'));
    return this.key;
  }

  async issue(personId: string): Promise<string> {
    return jwt.sign({}, await this.secret(), { subject: personId, expiresIn: TOKEN_LIFETIME, algorithm: 'HS256' });
  }

  /** The person id, or null for a missing, forged or expired token. */
  async verify(token: string): Promise<string | null> {
    try {
      const payload = jwt.verify(token, await this.secret(), { algorithms: ['HS256'] });
      return typeof payload === 'object' && typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}

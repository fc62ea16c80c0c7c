import { KeyObject, createSecretKey, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppSecrets } from '../../database/app-secrets';
import { isUuid } from '../ids';
import { SessionsRepository } from './sessions.repository';

const TOKEN_LIFETIME = '30d';

/** What a valid signature vouches for; the database still says whether the session is on. */
export interface TokenClaims {
  personId: string;
  /** The person's session generation when it was issued ("sign out everywhere" moves it on). */
  generation: number;
  /** This token's own id, for signing out this one device. */
  tokenId: string;
  expiresAt: Date;
}

/** Bearer tokens: HS256 JWTs whose subject is the person id. */
@Injectable()
export class TokenService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: AppSecrets,
    private readonly sessions: SessionsRepository,
  ) {}

  private key: KeyObject | undefined;

  /** A key object, built once: given a string, jsonwebtoken tries it as a public key on every call. */
  private async secret(): Promise<KeyObject> {
    this.key ??= createSecretKey(Buffer.from(this.config.jwtSecret ?? (await this.secrets.get('jwt')), 'utf8'));
    return this.key;
  }

  async issue(personId: string): Promise<string> {
    const generation = (await this.sessions.generationOf(personId)) ?? 0;
    return jwt.sign({ gen: generation }, await this.secret(), { subject: personId, jwtid: randomUUID(), expiresIn: TOKEN_LIFETIME, algorithm: 'HS256' });
  }

  /** The claims, or null for a missing, forged or expired token (or one from before sessions could end). */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const payload = jwt.verify(token, await this.secret(), { algorithms: ['HS256'] });
      if (typeof payload !== 'object' || typeof payload.sub !== 'string' || !Number.isSafeInteger(payload.gen)) return null;
      if (typeof payload.jti !== 'string' || !isUuid(payload.jti) || typeof payload.exp !== 'number') return null;
      return { personId: payload.sub, generation: payload.gen as number, tokenId: payload.jti, expiresAt: new Date(payload.exp * 1000) };
    } catch {
      return null;
    }
  }
}

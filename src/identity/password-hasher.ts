import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes); cheap enough for a 2-core server.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    // Unknown users and users without a password cost the same time as a wrong password.
    this.dummyHash ??= hash('tiers-lieu-timing-equalizer', OPTIONS);
    const target = passwordHash ?? (await this.dummyHash);
    const ok = await verify(target, password).catch(() => false);
    return ok && passwordHash !== null;
  }
}

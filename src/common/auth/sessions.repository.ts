import { Injectable } from '@nestjs/common';
import { Db } from '../../database/db';
import { RoleName } from '../../identity/person.entity';

/** The only SQL behind tokens: whose session is still on, and signing out. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: Db) {}

  async generationOf(personId: string): Promise<number | null> {
    const [row] = await this.db.query<{ generation: number }>(`SELECT session_generation AS generation FROM person WHERE id = $1`, [personId]);
    return row ? row.generation : null;
  }

  /** The roles, read fresh; nothing when the person was erased or the session signed out. */
  async rolesIfSignedIn(personId: string, generation: number, tokenId: string): Promise<RoleName[] | null> {
    const [row] = await this.db.prepared<{ roles: RoleName[] }>(
      'actor-session',
      `SELECT roles FROM person
        WHERE id = $1 AND erased_at IS NULL AND session_generation = $2
          AND NOT EXISTS (SELECT 1 FROM revoked_token WHERE token_id = $3)`,
      [personId, generation, tokenId],
    );
    return row ? row.roles : null;
  }

  async revokeToken(tokenId: string, expiresAt: Date): Promise<void> {
    await this.db.query(`INSERT INTO revoked_token (token_id, expires_at) VALUES ($1, $2) ON CONFLICT (token_id) DO NOTHING`, [tokenId, expiresAt]);
  }

  /** Every token issued so far stops working. */
  async advanceGeneration(personId: string): Promise<void> {
    await this.db.query(`UPDATE person SET session_generation = session_generation + 1 WHERE id = $1`, [personId]);
  }

  /** A revoked token past its expiry is refused anyway: no need to list it any longer. */
  async forgetRevokedBefore(at: Date): Promise<void> {
    await this.db.query(`DELETE FROM revoked_token WHERE expires_at < $1`, [at]);
  }
}

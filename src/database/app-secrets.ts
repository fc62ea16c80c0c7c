import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Db } from './db';

/**
 * Server-side keys (token signing, badge hashing) generated once and kept in the
 * database, so that every app instance on one database shares them.
 */
@Injectable()
export class AppSecrets {
  private readonly cache = new Map<string, string>();

  constructor(private readonly db: Db) {}

  async get(name: string): Promise<string> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    await this.db.dataSource.query(
      'INSERT INTO app_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, randomBytes(32).toString('hex')],
    );
    const [row] = await this.db.dataSource.query('SELECT value FROM app_secret WHERE name = $1', [name]);
    this.cache.set(name, row.value);
    return row.value;
  }
}

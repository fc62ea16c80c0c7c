import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { HouseRuleEntity, RuleKeyName } from './house-rule.entity';

@Injectable()
export class HouseRulesRepository {
  constructor(private readonly db: Db) {}

  current(): Promise<HouseRuleEntity[]> {
    return this.db.repository(HouseRuleEntity).createQueryBuilder('r').where('r.validTo IS NULL').orderBy('r.key').addOrderBy('r.resourceId', 'ASC', 'NULLS FIRST').getMany();
  }

  history(key: RuleKeyName, resourceId: string | null): Promise<HouseRuleEntity[]> {
    return this.db
      .repository(HouseRuleEntity)
      .createQueryBuilder('r')
      .where('r.key = :key', { key })
      .andWhere(resourceId ? 'r.resourceId = :resourceId' : 'r.resourceId IS NULL', { resourceId })
      .orderBy('r.validFrom', 'DESC')
      .getMany();
  }

  /** The value in force: the resource's own when it has one, else the house-wide one. */
  async value(key: RuleKeyName, resourceId: string | null): Promise<number> {
    return (await this.values([key], resourceId))[key];
  }

  /** Several values in force for one resource, in one query. */
  async values<K extends RuleKeyName>(keys: K[], resourceId: string | null): Promise<Record<K, number>> {
    const rows = await this.db.prepared<{ key: K; value: number }>(
      'rule-values',
      `SELECT DISTINCT ON (key) key, value FROM house_rule
        WHERE key = ANY($1) AND valid_to IS NULL AND (resource_id IS NULL OR resource_id = $2)
        ORDER BY key, resource_id NULLS LAST`,
      [keys, resourceId],
    );
    const values = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Record<K, number>;
    for (const key of keys) if (values[key] === undefined) throw new Error(`No value for house rule ${key}`);
    return values;
  }

  /** Locks the current row so that two changes of one rule are applied one after the other. */
  async lockCurrent(key: RuleKeyName, resourceId: string | null): Promise<HouseRuleEntity | null> {
    return this.db
      .repository(HouseRuleEntity)
      .createQueryBuilder('r')
      .setLock('for_no_key_update')
      .where('r.key = :key AND r.validTo IS NULL', { key })
      .andWhere(resourceId ? 'r.resourceId = :resourceId' : 'r.resourceId IS NULL', { resourceId })
      .getOne();
  }

  async close(id: string, at: Date): Promise<void> {
    await this.db.repository(HouseRuleEntity).update({ id }, { validTo: at });
  }

  insert(row: Omit<HouseRuleEntity, 'id' | 'validTo'>): Promise<HouseRuleEntity> {
    const repo = this.db.repository(HouseRuleEntity);
    return repo.save(repo.create({ ...row, validTo: null }));
  }
}

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
    const [row] = await this.db.prepared('rule-values', `SELECT ${ruleValuesJson('$1::text[]', '$2::uuid')} AS rules`, [keys, resourceId]);
    return toRuleValues(keys, row.rules);
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

/**
 * SQL for the values in force of the rules `keysParameter` (text[]) for the resource
 * `resourceParameter` (its own value when it has one, else the house-wide one), as one json
 * object: a statement that reads more than the rules can carry it. `toRuleValues` maps it.
 */
export function ruleValuesJson(keysParameter: string, resourceParameter: string): string {
  return `(SELECT coalesce(json_object_agg(v.key, v.value), '{}') FROM (
             SELECT DISTINCT ON (key) key, value FROM house_rule
              WHERE key = ANY(${keysParameter}) AND valid_to IS NULL AND (resource_id IS NULL OR resource_id = ${resourceParameter})
              ORDER BY key, resource_id NULLS LAST) v)`;
}

export function toRuleValues<K extends RuleKeyName>(keys: K[], json: Partial<Record<K, number>>): Record<K, number> {
  for (const key of keys) if (json[key] === undefined) throw new Error(`No value for house rule ${key}`);
  return json as Record<K, number>;
}

/**
 * SQL joining, as `alias.value`, the value in force of rule `key` for the resource whose id
 * is `resourceColumn` (its own value, else the house-wide one): for statements over many
 * resources at once.
 */
export function ruleOfResourceJoin(key: RuleKeyName, alias: string, resourceColumn: string): string {
  return `CROSS JOIN LATERAL (
    SELECT value FROM house_rule h WHERE h.key = '${key}' AND h.valid_to IS NULL
       AND (h.resource_id IS NULL OR h.resource_id = ${resourceColumn}) ORDER BY h.resource_id NULLS LAST LIMIT 1) ${alias}`;
}

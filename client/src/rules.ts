import { gql } from './api';
import { t } from './i18n';
import { fmtMinutes, fmtUnit } from './time';
import type { RuleKey } from './types';

/** A rule's value in human words: minutes as hours, percentages, days. */
export function ruleValue(key: RuleKey, value: number): string {
  switch (key) {
    case 'WEEKLY_QUOTA_MINUTES':
      return t('ruleValue.perWeek', { v: value % 60 === 0 ? fmtUnit(value / 60, 'hour') : fmtMinutes(value, 'long') });
    case 'CANCELLATION_NOTICE_MINUTES':
    case 'NO_SHOW_RELEASE_MINUTES':
    case 'ACCESS_GRACE_MINUTES':
      return fmtMinutes(value, 'long');
    case 'MAX_ADVANCE_DAYS':
    case 'ACCESS_LOG_RETENTION_DAYS':
      return fmtUnit(value, 'day');
    case 'DISCUSSION_MIN_HOURS':
      return fmtUnit(value, 'hour');
    case 'QUORUM_PERCENT':
    case 'ADOPTION_THRESHOLD_PERCENT':
      return fmtUnit(value, 'percent');
    default:
      return String(value);
  }
}

export function ruleLabel(key: string): string {
  return t(`rule.${key}.label`);
}

export function ruleHelp(key: string): string {
  return t(`rule.${key}.help`);
}

/** Unit the proposal form asks in, and its factor to the stored value. */
export function ruleInputUnit(key: RuleKey): { unit: 'hour' | 'minute' | 'day' | 'percent'; factor: number } {
  switch (key) {
    case 'WEEKLY_QUOTA_MINUTES':
      return { unit: 'hour', factor: 60 };
    case 'DISCUSSION_MIN_HOURS':
      return { unit: 'hour', factor: 1 };
    case 'MAX_ADVANCE_DAYS':
    case 'ACCESS_LOG_RETENTION_DAYS':
      return { unit: 'day', factor: 1 };
    case 'QUORUM_PERCENT':
    case 'ADOPTION_THRESHOLD_PERCENT':
      return { unit: 'percent', factor: 1 };
    default:
      return { unit: 'minute', factor: 1 };
  }
}

export interface RuleLimit {
  key: RuleKey;
  min: number;
  max: number;
  perResource: boolean;
}

/** What each rule may be set to, as the server says (house-wide rules have no per-resource value). */
export async function loadRuleLimits(): Promise<Partial<Record<RuleKey, RuleLimit>>> {
  const d = await gql<{ ruleLimits: RuleLimit[] }>('query RuleLimits { ruleLimits { key min max perResource } }');
  return Object.fromEntries(d.ruleLimits.map((l) => [l.key, l]));
}

export interface RuleValue {
  key: RuleKey;
  value: number;
  resource: { id: string } | null;
}

/** The house rules in force (house-wide and per resource). */
export async function loadRuleValues(): Promise<RuleValue[]> {
  const d = await gql<{ houseRules: RuleValue[] }>('query HouseRules { houseRules { key value resource { id } } }');
  return d.houseRules;
}

/** A rule's value for a resource: its own value wins over the house-wide one; null when unknown. */
export function ruleFor(rules: RuleValue[] | null, key: RuleKey, resourceId: string | null): number | null {
  if (!rules) return null;
  const own = resourceId ? rules.find((r) => r.key === key && r.resource?.id === resourceId) : undefined;
  const house = rules.find((r) => r.key === key && !r.resource);
  return (own ?? house)?.value ?? null;
}

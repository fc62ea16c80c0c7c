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

/** What each rule may be set to (the server's limits); house-wide rules have no per-resource value. */
export const RULE_LIMITS: Record<RuleKey, { min: number; max: number; perResource: boolean }> = {
  WEEKLY_QUOTA_MINUTES: { min: 0, max: 10_080, perResource: true },
  MAX_ADVANCE_DAYS: { min: 1, max: 730, perResource: true },
  CANCELLATION_NOTICE_MINUTES: { min: 0, max: 10_080, perResource: true },
  NO_SHOW_RELEASE_MINUTES: { min: 5, max: 1_440, perResource: true },
  ACCESS_GRACE_MINUTES: { min: 0, max: 240, perResource: true },
  QUORUM_PERCENT: { min: 1, max: 100, perResource: false },
  ADOPTION_THRESHOLD_PERCENT: { min: 1, max: 100, perResource: false },
  DISCUSSION_MIN_HOURS: { min: 0, max: 720, perResource: false },
  ACCESS_LOG_RETENTION_DAYS: { min: 1, max: 3_650, perResource: false },
};

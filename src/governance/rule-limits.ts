import { RuleKeyName } from './house-rule.entity';

interface RuleLimit {
  min: number;
  max: number;
  /** Whether a resource may have its own value (otherwise house-wide only). */
  perResource: boolean;
}

/** What each rule may be set to, by vote or by an admin. */
export const RULE_LIMITS: Record<RuleKeyName, RuleLimit> = {
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

/** A reason the change is invalid, or null. */
export function ruleChangeProblem(key: RuleKeyName, resourceId: string | null, value: number): string | null {
  const limit = RULE_LIMITS[key];
  if (!limit) return `Unknown rule ${key}.`;
  if (!Number.isInteger(value) || value < limit.min || value > limit.max) return `${key} must be a whole number from ${limit.min} to ${limit.max}.`;
  if (resourceId && !limit.perResource) return `${key} is a house-wide rule; it cannot be set for one resource.`;
  return null;
}

import type { LocalizedName } from './i18n';

export type Role = 'MEMBER' | 'STEWARD' | 'AUDITOR' | 'ADMIN';
export type BookingStatus = 'PENDING' | 'CONFIRMED' | 'CHECKED_IN' | 'COMPLETED' | 'NO_SHOW' | 'CANCELLED';
export type ProposalStatus = 'DISCUSSION' | 'VOTING' | 'ADOPTED' | 'REJECTED' | 'NO_QUORUM' | 'WITHDRAWN';
export type VoteChoice = 'YES' | 'NO' | 'ABSTAIN';
export type RuleKey =
  | 'WEEKLY_QUOTA_MINUTES'
  | 'MAX_ADVANCE_DAYS'
  | 'CANCELLATION_NOTICE_MINUTES'
  | 'NO_SHOW_RELEASE_MINUTES'
  | 'ACCESS_GRACE_MINUTES'
  | 'QUORUM_PERCENT'
  | 'ADOPTION_THRESHOLD_PERCENT'
  | 'DISCUSSION_MIN_HOURS'
  | 'ACCESS_LOG_RETENTION_DAYS';

export const RULE_KEYS: RuleKey[] = [
  'WEEKLY_QUOTA_MINUTES',
  'MAX_ADVANCE_DAYS',
  'CANCELLATION_NOTICE_MINUTES',
  'NO_SHOW_RELEASE_MINUTES',
  'ACCESS_GRACE_MINUTES',
  'QUORUM_PERCENT',
  'ADOPTION_THRESHOLD_PERCENT',
  'DISCUSSION_MIN_HOURS',
  'ACCESS_LOG_RETENTION_DAYS',
];

export interface IdName {
  id: string;
  name: string;
}

/** A zone, space or training: the house's name and the ones stewards gave in other languages (see localName()). */
export interface NamedThing extends IdName {
  names?: LocalizedName[];
}

export type TariffTier = 'SOLIDARITY' | 'REDUCED' | 'STANDARD';

/** A collective as the booking form needs it: its tier sets the price. */
export interface CollectiveChoice extends IdName {
  tariffTier?: TariffTier;
}

export interface Membership {
  id: string;
  role: 'MEMBER' | 'COORDINATOR';
  startsAt: string;
  endsAt: string | null;
  collective: IdName;
}

export interface Me {
  id: string;
  displayName: string;
  email: string | null;
  locale: string;
  roles: Role[];
  memberships: Membership[];
  qualifications: { qualification: NamedThing; expiresAt: string | null }[];
}

export interface OpeningHours {
  weekday: number;
  opens: string;
  closes: string;
}

export interface Resource {
  id: string;
  name: string;
  kind: 'ROOM' | 'KITCHEN' | 'WORKSHOP' | 'COWORKING' | 'STORAGE';
  capacity: number;
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  bufferMinutes: number;
  requiresApproval?: boolean;
  openingHours: OpeningHours[];
  names?: LocalizedName[];
  zone: { id?: string; name: string; names?: LocalizedName[] };
  requiredQualification: NamedThing | null;
  rates?: { tier: TariffTier; centsPerHour: number }[];
}

export interface Booking {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: BookingStatus;
  collective: IdName;
  resource: NamedThing;
  bookedBy: { id: string; displayName: string } | null;
  seriesId: string | null;
  priceCents: number | null;
}

export interface TimeRange {
  startsAt: string;
  endsAt: string;
}

export interface RuleChange {
  key: RuleKey;
  resource: NamedThing | null;
  value: number;
}

export interface HouseRule {
  key: RuleKey;
  value: number;
  resource: NamedThing | null;
  setBy: { id: string; title: string } | null;
  updatedAt: string;
}

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
  electorateSize: number;
  turnout: number;
  quorumReached: boolean;
  adopted: boolean;
}

export interface Comment {
  id: string;
  author: { id: string; displayName: string };
  body: string;
  createdAt: string;
}

export interface Proposal {
  id: string;
  title: string;
  body: string;
  author: { id: string; displayName: string };
  status: ProposalStatus;
  createdAt: string;
  discussionEndsAt: string;
  votingEndsAt: string;
  quorumPercent: number;
  thresholdPercent: number;
  ruleChanges: RuleChange[];
  electorateSize: number | null;
  turnout: number;
  tally: Tally | null;
  myVote: VoteChoice | null;
  /** The caller is in the frozen electorate and voting is open. */
  canVote: boolean;
  comments?: Comment[];
}

export const ACTIVE_STATUSES: BookingStatus[] = ['PENDING', 'CONFIRMED', 'CHECKED_IN'];

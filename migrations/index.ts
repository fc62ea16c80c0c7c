import { Foundation1764000000000 } from './1764000000000-foundation';
import { SpacesRulesBookings1764000000001 } from './1764000000001-spaces-rules-bookings';
import { BadgeAccess1764000000002 } from './1764000000002-badge-access';
import { Governance1764000000003 } from './1764000000003-governance';
import { EventLogHead1764000000004 } from './1764000000004-event-log-head';
import { LoginAttempts1764000000005 } from './1764000000005-login-attempts';
import { EventLogAppend1764000000006 } from './1764000000006-event-log-append';
import { DoorRetirement1764000000007 } from './1764000000007-door-retirement';
import { EventLogNoTruncate1764000000008 } from './1764000000008-event-log-no-truncate';
import { EventLogActorIndex1764000000009 } from './1764000000009-event-log-actor-index';
import { Sessions1764000000010 } from './1764000000010-sessions';
import { MembershipWithdrawal1764000000011 } from './1764000000011-membership-withdrawal';
import { LocalizedNames1764000000012 } from './1764000000012-localized-names';
import { QuietDoorDecisions1764000000013 } from './1764000000013-quiet-door-decisions';
import { CountedAccessEvents1764000000014 } from './1764000000014-counted-access-events';
import { DoorNames1764000000015 } from './1764000000015-door-names';

/** In order; the app runs them at start, the tests into a template database. */
export const migrations = [Foundation1764000000000, SpacesRulesBookings1764000000001, BadgeAccess1764000000002, Governance1764000000003, EventLogHead1764000000004, LoginAttempts1764000000005, EventLogAppend1764000000006, DoorRetirement1764000000007, EventLogNoTruncate1764000000008, EventLogActorIndex1764000000009, Sessions1764000000010, MembershipWithdrawal1764000000011, LocalizedNames1764000000012, QuietDoorDecisions1764000000013, CountedAccessEvents1764000000014, DoorNames1764000000015];

import { ACCESS_RESOLVERS } from './access/access.module';
import { AUDIT_RESOLVERS } from './audit/audit.module';
import { BOOKINGS_RESOLVERS } from './bookings/bookings.module';
import { GOVERNANCE_RESOLVERS } from './governance/governance.module';
import { IDENTITY_RESOLVERS } from './identity/identity.module';
import { SPACES_RESOLVERS } from './spaces/spaces.module';

/** Every resolver class, for building the schema without starting the app. */
export const ALL_RESOLVERS: Function[] = [...IDENTITY_RESOLVERS, ...SPACES_RESOLVERS, ...GOVERNANCE_RESOLVERS, ...BOOKINGS_RESOLVERS, ...ACCESS_RESOLVERS, ...AUDIT_RESOLVERS];

import { registerEnumType } from '@nestjs/graphql';

export enum Role { MEMBER = 'MEMBER', STEWARD = 'STEWARD', AUDITOR = 'AUDITOR', ADMIN = 'ADMIN' }
export enum CollectiveForm { INFORMAL = 'INFORMAL', ASBL = 'ASBL', COOPERATIVE = 'COOPERATIVE', OTHER = 'OTHER' }
export enum TariffTier { SOLIDARITY = 'SOLIDARITY', REDUCED = 'REDUCED', STANDARD = 'STANDARD' }
export enum MembershipRole { MEMBER = 'MEMBER', COORDINATOR = 'COORDINATOR' }

registerEnumType(Role, { name: 'Role' });
registerEnumType(CollectiveForm, { name: 'CollectiveForm' });
registerEnumType(TariffTier, { name: 'TariffTier' });
registerEnumType(MembershipRole, { name: 'MembershipRole' });

import { AccessEventEntity, BadgeEntity, DoorEntity } from '../access/access.entities';
import { BookingEntity } from '../bookings/booking.entity';
import { HouseRuleEntity } from '../governance/house-rule.entity';
import { ProposalEntity } from '../governance/proposal.entity';
import { CollectiveEntity } from '../identity/collective.entity';
import { MembershipEntity } from '../identity/membership.entity';
import { PersonEntity } from '../identity/person.entity';
import { QualificationEntity, QualificationGrantEntity } from '../identity/qualification.entity';
import { OpeningHoursEntity, ResourceEntity, ResourceRateEntity } from '../spaces/resource.entity';
import { ZoneEntity } from '../spaces/zone.entity';

export const ENTITIES = [
  PersonEntity, CollectiveEntity, MembershipEntity, QualificationEntity, QualificationGrantEntity,
  ZoneEntity, ResourceEntity, OpeningHoursEntity, ResourceRateEntity, HouseRuleEntity, BookingEntity,
  BadgeEntity, DoorEntity, AccessEventEntity, ProposalEntity,
];

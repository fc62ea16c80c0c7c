import { CollectiveEntity } from '../identity/collective.entity';
import { MembershipEntity } from '../identity/membership.entity';
import { PersonEntity } from '../identity/person.entity';
import { QualificationEntity, QualificationGrantEntity } from '../identity/qualification.entity';

export const ENTITIES = [PersonEntity, CollectiveEntity, MembershipEntity, QualificationEntity, QualificationGrantEntity];

import { toLocalizedNameList } from '../common/i18n/localized-names';
import { CollectiveEntity } from './collective.entity';
import { MembershipEntity } from './membership.entity';
import { PersonEntity } from './person.entity';
import { QualificationEntity, QualificationGrantEntity } from './qualification.entity';
import { CollectiveModel, MembershipModel, QualificationGrantModel, QualificationModel } from './models/collective.model';
import { CollectiveForm, MembershipRole, Role, TariffTier } from './models/identity.enums';
import { PersonModel } from './models/person.model';

/** Contact fields are filled here and hidden again by the field resolvers for viewers who may not see them. */
export function toPersonModel(person: PersonEntity): PersonModel {
  return {
    id: person.id,
    displayName: person.displayName,
    email: person.email,
    handle: person.handle,
    locale: person.locale,
    roles: person.roles as Role[],
  };
}

export function toCollectiveModel(collective: CollectiveEntity): CollectiveModel {
  return {
    id: collective.id,
    name: collective.name,
    form: collective.form as CollectiveForm,
    tariffTier: collective.tariffTier as TariffTier,
    publicListing: collective.publicListing,
    description: collective.description,
  };
}

export function toMembershipModel(membership: MembershipEntity): MembershipModel {
  return {
    id: membership.id,
    personId: membership.personId,
    collectiveId: membership.collectiveId,
    role: membership.role as MembershipRole,
    startsAt: membership.startsAt,
    endsAt: membership.endsAt,
  };
}

export function toQualificationModel(qualification: QualificationEntity): QualificationModel {
  return { id: qualification.id, name: qualification.name, names: toLocalizedNameList(qualification.names) };
}

export function toGrantModel(grant: QualificationGrantEntity): QualificationGrantModel {
  return {
    qualificationId: grant.qualificationId,
    personId: grant.personId,
    grantedById: grant.grantedById,
    grantedAt: grant.grantedAt,
    expiresAt: grant.expiresAt,
  };
}

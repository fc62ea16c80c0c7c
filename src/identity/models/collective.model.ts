import { Field, ID, ObjectType } from '@nestjs/graphql';
import { LocalizedNameModel } from '../../common/i18n/localized-name.model';
import { CollectiveForm, MembershipRole, TariffTier } from './identity.enums';

@ObjectType('Collective')
export class CollectiveModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => CollectiveForm) form: CollectiveForm;
  @Field(() => TariffTier) tariffTier: TariffTier;
  @Field({ description: 'Whether the collective appears in the public directory. Off by default.' })
  publicListing: boolean;
  @Field(() => String, { nullable: true }) description: string | null;
}

@ObjectType('Membership')
export class MembershipModel {
  @Field(() => ID) id: string;
  personId: string;
  collectiveId: string;
  @Field(() => MembershipRole) role: MembershipRole;
  @Field(() => Date) startsAt: Date;
  @Field(() => Date, { nullable: true, description: 'Null while open-ended; short-lived collectives end on a date.' })
  endsAt: Date | null;
}

@ObjectType('Qualification')
export class QualificationModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => [LocalizedNameModel], { description: 'The name in other languages, set by stewards; a reader whose language has none sees `name`.' })
  names: LocalizedNameModel[];
}

@ObjectType('QualificationGrant')
export class QualificationGrantModel {
  qualificationId: string;
  personId: string;
  grantedById: string | null;
  @Field(() => Date) grantedAt: Date;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
}

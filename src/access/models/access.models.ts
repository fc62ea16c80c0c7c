import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LocalizedNameModel } from '../../common/i18n/localized-name.model';

export enum BadgeStatus { ACTIVE = 'ACTIVE', LOST = 'LOST', REVOKED = 'REVOKED' }
export enum AccessDecision { ALLOW = 'ALLOW', DENY = 'DENY' }
registerEnumType(BadgeStatus, { name: 'BadgeStatus' });
registerEnumType(AccessDecision, { name: 'AccessDecision' });

@ObjectType('Badge')
export class BadgeModel {
  @Field(() => ID) id: string;
  personId: string;
  @Field() label: string;
  @Field(() => BadgeStatus) status: BadgeStatus;
  @Field(() => Date) issuedAt: Date;
}

@ObjectType('Door')
export class DoorModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => [LocalizedNameModel], { description: 'The name in other languages, set by stewards; a reader whose language has none sees `name`.' })
  names: LocalizedNameModel[];
  zoneId: string;
  @Field(() => Date, { nullable: true, description: 'When a steward retired the door (its controller lost, stolen or replaced); its requests are refused since.' })
  retiredAt: Date | null;
}

@ObjectType('DoorRegistration')
export class DoorRegistrationModel {
  @Field(() => DoorModel) door: DoorModel;
  @Field({ description: 'HMAC key of the door controller; shown once.' }) secret: string;
}

@ObjectType('AccessEvent')
export class AccessEventModel {
  @Field(() => ID) id: string;
  doorId: string;
  badgeId: string | null;
  personId: string | null;
  @Field(() => Date) at: Date;
  @Field(() => AccessDecision) decision: AccessDecision;
  @Field() reason: string;
  @Field(() => ID, { nullable: true, description: 'The booking that opened the door, if any.' }) bookingId: string | null;
  @Field({ description: 'Decided by the door alone while the server was unreachable.' }) offline: boolean;
}

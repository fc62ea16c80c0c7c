import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LocalizedNameModel } from '../../common/i18n/localized-name.model';
import { TariffTier } from '../../identity/models/identity.enums';

export enum ResourceKind { ROOM = 'ROOM', KITCHEN = 'KITCHEN', WORKSHOP = 'WORKSHOP', COWORKING = 'COWORKING', STORAGE = 'STORAGE' }
registerEnumType(ResourceKind, { name: 'ResourceKind' });

@ObjectType('Zone')
export class ZoneModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => [LocalizedNameModel], { description: 'The name in other languages, set by stewards; a reader whose language has none sees `name`.' })
  names: LocalizedNameModel[];
  @Field({ description: 'Members with an active membership may enter at any hour (24/7 zones).' })
  openToMembersAnytime: boolean;
}

@ObjectType('OpeningHours')
export class OpeningHoursModel {
  @Field(() => Int, { description: 'ISO weekday, 1 = Monday ... 7 = Sunday.' }) weekday: number;
  @Field({ description: 'Local wall-clock time HH:mm.' }) opens: string;
  @Field({ description: 'Local wall-clock time HH:mm; 24:00 means end of day.' }) closes: string;
}

@ObjectType('Rate')
export class RateModel {
  @Field(() => TariffTier) tier: TariffTier;
  @Field(() => Int) centsPerHour: number;
}

@ObjectType('Resource')
export class ResourceModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => [LocalizedNameModel], { description: 'The name in other languages, set by stewards; a reader whose language has none sees `name`.' })
  names: LocalizedNameModel[];
  @Field(() => ResourceKind) kind: ResourceKind;
  @Field(() => Int) capacity: number;
  zoneId: string;
  @Field(() => Int, { description: 'Bookings start and end on this grid of local time.' }) slotMinutes: number;
  @Field(() => Int) minMinutes: number;
  @Field(() => Int) maxMinutes: number;
  @Field(() => Int, { description: 'Time kept free after each booking (cleaning, changeover).' }) bufferMinutes: number;
  requiredQualificationId: string | null;
  @Field() requiresApproval: boolean;
}

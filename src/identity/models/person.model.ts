import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role } from './identity.enums';

@ObjectType('Person')
export class PersonModel {
  @Field(() => ID) id: string;
  @Field() displayName: string;
  @Field(() => String, { nullable: true, description: 'Visible to the person, stewards and admins only; null for everyone else.' })
  email: string | null;
  @Field(() => String, { nullable: true, description: 'Login name for people without e-mail; visible like the e-mail.' })
  handle: string | null;
  @Field({ description: 'BCP 47 language tag of the interface language, e.g. fr, en, ar, ps, so.' })
  locale: string;
  @Field(() => [Role]) roles: Role[];
}

@ObjectType('AuthPayload')
export class AuthPayloadModel {
  @Field() token: string;
  @Field(() => PersonModel) person: PersonModel;
  @Field({
    description:
      'Keep it on this device and send it with the next logins (login deviceKeys): its attempts are then counted apart, so that guesses made elsewhere do not lock this person out here.',
  })
  deviceKey: string;
}

@ObjectType('NewPerson')
export class NewPersonModel {
  @Field(() => PersonModel) person: PersonModel;
  @Field({ description: 'One-time code the person redeems to choose a password; shown once.' })
  inviteCode: string;
  @Field({ description: 'When the code stops working (30 days after it was given).' })
  inviteExpiresAt: Date;
}

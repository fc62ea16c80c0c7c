import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/auth.decorators';
import { toPersonModel } from '../identity/identity.mappers';
import { PersonModel } from '../identity/models/person.model';
import { PersonalDataService } from './personal-data.service';

@Resolver()
export class PersonalDataResolver {
  constructor(private readonly personalData: PersonalDataService) {}

  @Mutation(() => PersonModel, { description: 'Stewards: anonymise a person who leaves; badges are revoked and their door history deleted, figures stay right.' })
  async erasePerson(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<PersonModel> {
    return toPersonModel(await this.personalData.erase(actor, id));
  }
}

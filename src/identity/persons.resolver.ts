import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, OptionalActor, Public } from '../common/auth/auth.decorators';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { PersonInput } from './dto/identity.inputs';
import { IdentityPolicy } from './identity.policy';
import { toGrantModel, toMembershipModel, toPersonModel } from './identity.mappers';
import { MembershipsService } from './memberships.service';
import { MembershipModel, QualificationGrantModel } from './models/collective.model';
import { NewPersonModel, PersonModel } from './models/person.model';
import { PersonsService } from './persons.service';
import { QualificationsService } from './qualifications.service';

@Resolver(() => PersonModel)
export class PersonsResolver {
  constructor(
    private readonly personService: PersonsService,
    private readonly membershipService: MembershipsService,
    private readonly qualificationService: QualificationsService,
    private readonly policy: IdentityPolicy,
  ) {}

  /** Null when nobody is logged in, so a client can ask it first without handling an error. */
  @Public()
  @Query(() => PersonModel, { nullable: true })
  async me(@OptionalActor() actor: Actor | null): Promise<PersonModel | null> {
    if (!actor) return null;
    const person = await this.personService.me(actor);
    return person && toPersonModel(person);
  }

  @Query(() => PersonModel, { nullable: true })
  async person(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<PersonModel> {
    return toPersonModel(await this.personService.get(actor, id));
  }

  @Query(() => [PersonModel], { description: 'Stewards and admins: people by name or handle (200 at most).' })
  async persons(@CurrentActor() actor: Actor, @Args('search', { type: () => String, nullable: true }) search: string | null): Promise<PersonModel[]> {
    return (await this.personService.search(actor, search ?? null)).map(toPersonModel);
  }

  @Mutation(() => PersonModel, { description: 'Changes my interface language.' })
  async setMyLocale(@CurrentActor() actor: Actor, @Args('locale') locale: string): Promise<PersonModel> {
    return toPersonModel(await this.personService.setMyLocale(actor, locale));
  }

  @Mutation(() => NewPersonModel)
  async createPerson(@CurrentActor() actor: Actor, @Args('input') input: PersonInput): Promise<NewPersonModel> {
    const { person, ...invite } = await this.personService.create(actor, input);
    // In the mutation's transaction: a refused membership leaves no person behind.
    if (input.membership) await this.membershipService.add(actor, { personId: person.id, collectiveId: input.membership.collectiveId, role: input.membership.role });
    return { person: toPersonModel(person), ...invite };
  }

  @Mutation(() => NewPersonModel, {
    description:
      'Stewards: a new one-time code for someone who lost theirs or forgot their password (admins for staff and auditors). Earlier codes stop working; the password works until the code is redeemed, which signs the person out on every other device.',
  })
  async resetInvite(@CurrentActor() actor: Actor, @Args('personId', { type: () => ID }) personId: string): Promise<NewPersonModel> {
    const { person, ...invite } = await this.personService.resetInvite(actor, personId);
    return { person: toPersonModel(person), ...invite };
  }

  @ResolveField(() => String, { nullable: true })
  email(@Parent() person: PersonModel, @OptionalActor() actor: Actor | null): string | null {
    return this.policy.canSeeContact(actor, person.id) ? person.email : null;
  }

  @ResolveField(() => String, { nullable: true })
  handle(@Parent() person: PersonModel, @OptionalActor() actor: Actor | null): string | null {
    return this.policy.canSeeContact(actor, person.id) ? person.handle : null;
  }

  // A person is reached through many paths (a proposal's author, a booking's maker, a former
  // member): where they belong and what they may use is shown only to whoever may see them.
  // A list of people reads them, and whom the reader may see, in one query each.
  @ResolveField(() => [MembershipModel], { description: 'Empty unless you may see this person: yourself, people of your collectives now, or staff.' })
  async memberships(@Parent() person: PersonModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<MembershipModel[]> {
    if (!(await this.maySee(actor, person.id, loaders))) return [];
    const memberships = await loaders.for('person-memberships', (ids) => this.membershipService.forPersons(ids)).load(person.id);
    return (memberships?.items ?? []).map(toMembershipModel);
  }

  @ResolveField(() => [QualificationGrantModel], { description: 'Empty unless you may see this person.' })
  async qualifications(@Parent() person: PersonModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<QualificationGrantModel[]> {
    if (!(await this.maySee(actor, person.id, loaders))) return [];
    const grants = await loaders.for('person-grants', (ids) => this.qualificationService.grantsOfPersons(ids)).load(person.id);
    return (grants?.items ?? []).map(toGrantModel);
  }

  private async maySee(actor: Actor | null, personId: string, loaders: RequestLoaders): Promise<boolean> {
    if (!actor) return false;
    return this.policy.canSeePerson(actor, personId, () => loaders.once('colleagues-now', () => this.policy.colleaguesNow(actor)));
  }
}

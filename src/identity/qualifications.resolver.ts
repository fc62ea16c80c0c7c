import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { LocalizedNameInput, NAMES_ARG } from '../common/i18n/localized-name.model';
import { toGrantModel, toPersonModel, toQualificationModel } from './identity.mappers';
import { QualificationGrantModel, QualificationModel } from './models/collective.model';
import { PersonModel } from './models/person.model';
import { PersonsRepository } from './persons.repository';
import { QualificationsService } from './qualifications.service';

@Resolver(() => QualificationGrantModel)
export class QualificationsResolver {
  constructor(
    private readonly qualificationService: QualificationsService,
    private readonly persons: PersonsRepository,
  ) {}

  @Query(() => [QualificationModel])
  async qualifications(): Promise<QualificationModel[]> {
    return (await this.qualificationService.list()).map(toQualificationModel);
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => QualificationModel)
  async createQualification(
    @CurrentActor() actor: Actor,
    @Args('name') name: string,
    @Args('names', { type: () => [LocalizedNameInput], nullable: true, description: NAMES_ARG }) names: LocalizedNameInput[] | null,
  ): Promise<QualificationModel> {
    return toQualificationModel(await this.qualificationService.create(actor, name, names));
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => QualificationModel, { description: 'Renames a training or translates its name; who holds it does not change.' })
  async updateQualification(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('name') name: string,
    @Args('names', { type: () => [LocalizedNameInput], nullable: true, description: NAMES_ARG }) names: LocalizedNameInput[] | null,
  ): Promise<QualificationModel> {
    return toQualificationModel(await this.qualificationService.update(actor, id, name, names));
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => QualificationGrantModel)
  async grantQualification(
    @CurrentActor() actor: Actor,
    @Args('personId', { type: () => ID }) personId: string,
    @Args('qualificationId', { type: () => ID }) qualificationId: string,
    @Args('expiresAt', { type: () => Date, nullable: true }) expiresAt: Date | null,
  ): Promise<QualificationGrantModel> {
    return toGrantModel(await this.qualificationService.grant(actor, personId, qualificationId, expiresAt ?? null));
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => QualificationGrantModel, {
    description: 'Ends a qualification now (it stays listed with its end). Doors and new bookings need it again from the next request; bookings already made stay.',
  })
  async revokeQualification(
    @CurrentActor() actor: Actor,
    @Args('personId', { type: () => ID }) personId: string,
    @Args('qualificationId', { type: () => ID }) qualificationId: string,
  ): Promise<QualificationGrantModel> {
    return toGrantModel(await this.qualificationService.revoke(actor, personId, qualificationId));
  }

  // Grants come in lists (a steward's list of people): their trainings and people are read once per request.
  @ResolveField(() => QualificationModel)
  async qualification(@Parent() grant: QualificationGrantModel, @Loaders() loaders: RequestLoaders): Promise<QualificationModel> {
    const qualification = await loaders.for('qualification', (ids) => this.qualificationService.byIds(ids)).load(grant.qualificationId);
    if (!qualification) throw AppError.notFound('Qualification');
    return toQualificationModel(qualification);
  }

  @ResolveField(() => PersonModel)
  async person(@Parent() grant: QualificationGrantModel, @Loaders() loaders: RequestLoaders): Promise<PersonModel> {
    const person = await loaders.for('person', (ids) => this.persons.findByIds(ids)).load(grant.personId);
    if (!person) throw AppError.notFound('Person');
    return toPersonModel(person);
  }

  @ResolveField(() => PersonModel, { nullable: true })
  async grantedBy(@Parent() grant: QualificationGrantModel, @Loaders() loaders: RequestLoaders): Promise<PersonModel | null> {
    const person = grant.grantedById ? await loaders.for('person', (ids) => this.persons.findByIds(ids)).load(grant.grantedById) : null;
    return person && toPersonModel(person);
  }
}

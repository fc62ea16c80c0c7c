import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, OptionalActor } from '../common/auth/auth.decorators';
import { CollectivesRepository } from '../identity/collectives.repository';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { toCollectiveModel, toPersonModel } from '../identity/identity.mappers';
import { PersonModel } from '../identity/models/person.model';
import { PersonsRepository } from '../identity/persons.repository';
import { toResourceModel } from '../spaces/spaces.mappers';
import { SpacesService } from '../spaces/spaces.service';
import { BookingEntity } from './booking.entity';
import { CollectiveEntity } from '../identity/collective.entity';
import { ResourceEntity } from '../spaces/resource.entity';
import { BookingsService } from './bookings.service';
import { CalendarFeedService } from './calendar-feed.service';
import { BookInput } from './dto/book.input';
import { BookingModel, BookingStatus, TimeRangeModel } from './models/booking.models';

export function toBookingModel(booking: BookingEntity, resource: ResourceEntity, collective: CollectiveEntity): BookingModel {
  return {
    resource: toResourceModel(resource),
    collective: toCollectiveModel(collective),
    id: booking.id,
    resourceId: booking.resourceId,
    collectiveId: booking.collectiveId,
    bookedById: booking.bookedById,
    title: booking.title,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    status: booking.status as BookingStatus,
    seriesId: booking.seriesId,
    checkedInAt: booking.checkedInAt,
    priceCents: booking.priceCents,
    attendees: booking.attendees,
  };
}

@Resolver(() => BookingModel)
export class BookingsResolver {
  constructor(
    private readonly bookingService: BookingsService,
    private readonly spaces: SpacesService,
    private readonly collectiveRepository: CollectivesRepository,
    private readonly persons: PersonsRepository,
    private readonly feeds: CalendarFeedService,
  ) {}

  @Query(() => [BookingModel])
  async bookings(
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
    @Args('resourceIds', { type: () => [ID], nullable: true }) resourceIds: string[] | null,
    @Args('statuses', { type: () => [BookingStatus], nullable: true, description: 'Defaults to every status but CANCELLED.' }) statuses: BookingStatus[] | null,
  ): Promise<BookingModel[]> {
    return this.models(await this.bookingService.list(from, to, resourceIds ?? null, statuses ?? null));
  }

  @Query(() => BookingModel, { nullable: true })
  async booking(@Args('id', { type: () => ID }) id: string): Promise<BookingModel | null> {
    const booking = await this.bookingService.get(id);
    return booking && (await this.models([booking]))[0];
  }

  @Query(() => [TimeRangeModel], { description: 'The maximal intervals that could be booked whole right now: open, and clear of other bookings once both are extended by the buffer.' })
  async availability(
    @CurrentActor() actor: Actor,
    @Args('resourceId', { type: () => ID }) resourceId: string,
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
  ): Promise<TimeRangeModel[]> {
    return (await this.bookingService.availability(actor, resourceId, from, to)).map((i) => ({ startsAt: i.start, endsAt: i.end }));
  }

  @Mutation(() => [BookingModel])
  async book(@CurrentActor() actor: Actor, @Args('input') input: BookInput): Promise<BookingModel[]> {
    // The service has just read the resource and the collective: no need to read them again.
    const { bookings, resource, collective } = await this.bookingService.book(actor, input);
    return bookings.map((b) => toBookingModel(b, resource, collective));
  }

  @Mutation(() => [BookingModel])
  async cancelBooking(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('wholeSeries', { type: () => Boolean, nullable: true }) wholeSeries: boolean | null,
  ): Promise<BookingModel[]> {
    return this.models(await this.bookingService.cancel(actor, id, wholeSeries ?? false));
  }

  @Mutation(() => BookingModel)
  async approveBooking(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<BookingModel> {
    return (await this.models([await this.bookingService.approve(actor, id)]))[0];
  }

  @Mutation(() => BookingModel)
  async checkIn(@CurrentActor() actor: Actor, @Args('bookingId', { type: () => ID }) bookingId: string): Promise<BookingModel> {
    return (await this.models([await this.bookingService.checkIn(actor, bookingId)]))[0];
  }

  @Mutation(() => String, { description: 'A new private iCalendar address of my collectives\' bookings; the previous one stops working. Shown once.' })
  async resetCalendarFeed(@CurrentActor() actor: Actor, @Context() context: { req: { protocol: string; get(name: string): string | undefined } }): Promise<string> {
    const origin = `${context.req.protocol}://${context.req.get('host')}`;
    return this.feeds.reset(actor, origin);
  }

  @Mutation(() => Boolean, { description: 'Turns my calendar address off.' })
  async revokeCalendarFeed(@CurrentActor() actor: Actor): Promise<boolean> {
    await this.feeds.revoke(actor);
    return true;
  }

  /** Models for a list of bookings, with their resources and collectives read in two queries. */
  private async models(bookings: BookingEntity[]): Promise<BookingModel[]> {
    const resources = new Map((await this.spaces.resourcesByIds([...new Set(bookings.map((b) => b.resourceId))])).map((r) => [r.id, r]));
    const collectives = new Map((await this.collectiveRepository.findByIds([...new Set(bookings.map((b) => b.collectiveId))])).map((c) => [c.id, c]));
    return bookings.map((b) => toBookingModel(b, resources.get(b.resourceId)!, collectives.get(b.collectiveId)!));
  }

  @ResolveField(() => PersonModel, { nullable: true, description: 'Null for auditors and for members of other collectives.' })
  async bookedBy(@Parent() booking: BookingModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<PersonModel | null> {
    if (!booking.bookedById || !actor || actor.isAuditorOnly) return null;
    if (!actor.isStaff) {
      const mine = await loaders.once('my-collectives', () => this.bookingService.activeCollectiveIds(actor));
      if (!mine.includes(booking.collectiveId)) return null;
    }
    const person = await loaders.for('person', (ids) => this.persons.findByIds(ids)).load(booking.bookedById);
    return person && toPersonModel(person);
  }
}

import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { EventLogRepository } from '../audit/event-log.repository';
import { CollectiveEntity } from './collective.entity';
import { CollectivesRepository } from './collectives.repository';
import { CollectiveInput } from './dto/identity.inputs';

@Injectable()
export class CollectivesService {
  constructor(
    private readonly collectives: CollectivesRepository,
    private readonly events: EventLogRepository,
  ) {}

  async create(actor: Actor | null, input: CollectiveInput): Promise<CollectiveEntity> {
    if (actor && !actor.isStaff) throw AppError.forbidden('Only stewards and admins add collectives.');
    const name = input.name.trim();
    if (await this.collectives.nameTaken(name)) throw AppError.taken('A collective with this name already exists.', 'name');
    const collective = await this.collectives.insert({
      name,
      form: input.form,
      tariffTier: input.tariffTier,
      publicListing: input.publicListing ?? false,
      description: input.description?.trim() || null,
    });
    this.events.append({
      type: 'collective.created',
      actorId: actor?.personId ?? null,
      subjectType: 'collective',
      subjectId: collective.id,
      payload: { name, form: collective.form, tariffTier: collective.tariffTier, publicListing: collective.publicListing },
    });
    return collective;
  }

  list(): Promise<CollectiveEntity[]> {
    return this.collectives.findAll();
  }

  async get(id: string): Promise<CollectiveEntity | null> {
    return this.collectives.findById(id);
  }

  byIds(ids: string[]): Promise<CollectiveEntity[]> {
    return this.collectives.findByIds(ids);
  }

  directory(): Promise<CollectiveEntity[]> {
    return this.collectives.findListed();
  }
}

import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, RequestContext } from '../common/auth/auth.decorators';
import { PersonEntity } from './person.entity';
import { Public } from '../common/auth/auth.decorators';
import { OwnTransactions } from '../database/transaction.interceptor';
import { AuthService } from './auth.service';
import { toPersonModel } from './identity.mappers';
import { AuthPayloadModel } from './models/person.model';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @OwnTransactions()
  @Mutation(() => AuthPayloadModel)
  async login(
    @Context() context: RequestContext,
    @Args('identifier') identifier: string,
    @Args('password') password: string,
    @Args('deviceKeys', { type: () => [String], nullable: true, description: 'The deviceKeys this device was given at earlier logins (a shared phone may hold several).' })
    deviceKeys?: string[] | null,
  ): Promise<AuthPayloadModel> {
    const { token, person, deviceKey } = await this.auth.login(identifier, password, deviceKeys ?? []);
    return this.payload(context, token, person, deviceKey);
  }

  @Public()
  @OwnTransactions()
  @Mutation(() => AuthPayloadModel)
  async redeemInvite(@Context() context: RequestContext, @Args('code') code: string, @Args('password') password: string): Promise<AuthPayloadModel> {
    const { token, person, deviceKey } = await this.auth.redeemInvite(code, password);
    return this.payload(context, token, person, deviceKey);
  }

  @Mutation(() => Boolean, { description: 'Signs this device out: the token of this request stops working; other devices stay signed in.' })
  async logout(@CurrentActor() actor: Actor): Promise<boolean> {
    return this.auth.logout(actor);
  }

  @Mutation(() => Boolean, {
    description: 'Signs a person out on every device, this one included (a lost or shared phone). Yourself by default; stewards for a member, admins for anyone.',
  })
  async logoutEverywhere(@CurrentActor() actor: Actor, @Args('personId', { type: () => ID, nullable: true }) personId?: string | null): Promise<boolean> {
    return this.auth.logoutEverywhere(actor, personId ?? actor.personId);
  }

  /** The rest of this response is read by the person who just logged in. */
  private payload(context: RequestContext, token: string, person: PersonEntity, deviceKey: string): AuthPayloadModel {
    context.actor = new Actor(person.id, person.roles);
    return { token, person: toPersonModel(person), deviceKey };
  }
}

import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { RequestContext } from '../common/auth/auth.decorators';
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
  async login(@Context() context: RequestContext, @Args('identifier') identifier: string, @Args('password') password: string): Promise<AuthPayloadModel> {
    const { token, person } = await this.auth.login(identifier, password);
    return this.payload(context, token, person);
  }

  @Public()
  @OwnTransactions()
  @Mutation(() => AuthPayloadModel)
  async redeemInvite(@Context() context: RequestContext, @Args('code') code: string, @Args('password') password: string): Promise<AuthPayloadModel> {
    const { token, person } = await this.auth.redeemInvite(code, password);
    return this.payload(context, token, person);
  }

  /** The rest of this response is read by the person who just logged in. */
  private payload(context: RequestContext, token: string, person: PersonEntity): AuthPayloadModel {
    context.actor = new Actor(person.id, person.roles);
    return { token, person: toPersonModel(person) };
  }
}

import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Public } from '../common/auth/auth.decorators';
import { AuthService } from './auth.service';
import { toPersonModel } from './identity.mappers';
import { AuthPayloadModel } from './models/person.model';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => AuthPayloadModel)
  async login(@Args('identifier') identifier: string, @Args('password') password: string): Promise<AuthPayloadModel> {
    const { token, person } = await this.auth.login(identifier, password);
    return { token, person: toPersonModel(person) };
  }

  @Public()
  @Mutation(() => AuthPayloadModel)
  async redeemInvite(@Args('code') code: string, @Args('password') password: string): Promise<AuthPayloadModel> {
    const { token, person } = await this.auth.redeemInvite(code, password);
    return { token, person: toPersonModel(person) };
  }
}

import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { RoleName } from '../../identity/person.entity';
import { AppError } from '../errors/app-error';
import { Actor } from './actor';
import { PUBLIC_KEY, ROLES_KEY, RequestContext } from './auth.decorators';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

/** Resolves the bearer token of a request to an Actor, once per request. */
@Injectable()
export class ActorResolver {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionsRepository,
  ) {}

  async fromAuthorizationHeader(header: string | string[] | undefined): Promise<Actor | null | 'invalid'> {
    if (typeof header !== 'string' || header.length === 0) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return 'invalid';
    return this.fromToken(match[1]);
  }

  /** For plain HTTP endpoints (CSV, exports): the actor, or UNAUTHENTICATED. */
  async requireFromHeader(header: string | string[] | undefined): Promise<Actor> {
    const actor = await this.fromAuthorizationHeader(header);
    if (!actor || actor === 'invalid') throw AppError.unauthenticated();
    return actor;
  }

  async fromToken(token: string): Promise<Actor | 'invalid'> {
    const claims = await this.tokens.verify(token);
    if (!claims) return 'invalid';
    // Read fresh for every request: a role taken away, an erasure or a sign-out applies at once.
    const roles = await this.sessions.rolesIfSignedIn(claims.personId, claims.generation, claims.tokenId);
    return roles ? new Actor(claims.personId, roles, { tokenId: claims.tokenId, expiresAt: claims.expiresAt }) : 'invalid';
  }
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly actors: ActorResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context).getContext<RequestContext>();
    if (gql.actor === undefined) {
      const resolved = await this.actors.fromAuthorizationHeader(gql.req.headers.authorization);
      gql.actor = resolved === 'invalid' ? null : resolved;
      (gql as { tokenInvalid?: boolean }).tokenInvalid = resolved === 'invalid';
    }
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (!gql.actor) {
      throw AppError.unauthenticated((gql as { tokenInvalid?: boolean }).tokenInvalid ? 'Your session has expired. Please log in again.' : 'Please log in.');
    }
    const roles = this.reflector.getAllAndOverride<RoleName[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.some((role) => gql.actor!.has(role))) throw AppError.forbidden();
    return true;
  }
}

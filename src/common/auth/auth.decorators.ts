import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { RoleName } from '../../identity/person.entity';
import { Actor } from './actor';

export const PUBLIC_KEY = 'tl:public';
export const ROLES_KEY = 'tl:roles';

/** The operation needs no login (login itself, the public directory). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The operation needs one of these roles. */
export const Roles = (...roles: RoleName[]) => SetMetadata(ROLES_KEY, roles);

export interface RequestContext {
  req: { headers: Record<string, string | string[] | undefined>; actor?: Actor | null };
  actor?: Actor | null;
}

/** The logged-in actor; the guard has refused the request already if there is none. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const gql = GqlExecutionContext.create(context).getContext<RequestContext>();
  return gql.actor as Actor;
});

/** The actor when there is one (public operations). */
export const OptionalActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor | null => {
  const gql = GqlExecutionContext.create(context).getContext<RequestContext>();
  return gql.actor ?? null;
});

import { IDENTITY_RESOLVERS } from './identity/identity.module';

/** Every resolver class, for building the schema without starting the app. */
export const ALL_RESOLVERS: Function[] = [...IDENTITY_RESOLVERS];

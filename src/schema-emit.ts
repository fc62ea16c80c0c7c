import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { ALL_RESOLVERS } from './resolvers';
import { DateTimeScalar } from './common/time/date-time.scalar';

/** Writes the served GraphQL schema, sorted, to src/schema.gql so it can be held against the contract. */
export async function buildSchemaText(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(ALL_RESOLVERS, [DateTimeScalar]);
  await app.close();
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

if (require.main === module) {
  buildSchemaText()
    .then((text) => writeFileSync(join(__dirname, '..', '..', 'src', 'schema.gql'), text))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

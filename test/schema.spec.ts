import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchemaText } from '../src/schema-emit';

describe('the committed schema', () => {
  it('src/schema.gql is what the code serves (run `npm run build` to regenerate it)', async () => {
    const committed = readFileSync(join(__dirname, '..', 'src', 'schema.gql'), 'utf8');
    expect(await buildSchemaText()).toBe(committed);
  });
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cloneTemplate, templateDatabase, testRun, withAdminClient } from './support/test-database';

const root = join(__dirname, '..');

/** Two `npm test` at once in one checkout (two terminals, an editor's runner) used to break each other. */
describe('two test runs at once', () => {
  it('lets a second run start beside this one, on its own cluster or databases, and leaves ours alone', async () => {
    const ours = await cloneTemplate();
    try {
      const { TL_TEST_RUN: _run, TL_TEST_SERVER_URL: _server, JEST_WORKER_ID: _worker, ...env } = process.env;
      const second = await promisify(execFile)(
        process.execPath,
        [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--rootDir', root, '--runInBand', '--testMatch', '<rootDir>/test/fixtures/second-run.fixture.ts'],
        { cwd: root, env, timeout: 120_000 },
      ).catch((error: { stdout?: string; stderr?: string; message: string }) => ({ stdout: error.stdout ?? '', stderr: `${error.message}\n${error.stderr ?? ''}` }));
      expect(second.stderr).toMatch(/Tests:\s+1 passed, 1 total/);

      const names = await withAdminClient(async (admin) => (await admin.query(`SELECT datname FROM pg_database`)).rows.map((r) => r.datname as string));
      expect(names).toEqual(expect.arrayContaining([ours.name, templateDatabase()]));
      // The second run dropped its own databases when it ended.
      expect(names.filter((name) => /^tl_(test|template)_/.test(name) && !name.includes(`_${testRun()}`))).toEqual([]);
    } finally {
      await ours.drop();
    }
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';

const root = join(__dirname, '..');
const main = join(root, 'dist', 'src', 'main.js');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What `npm start` runs after building: the built app on an embedded PostgreSQL in DATA_DIR. */
describe('the built app on an embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tl-start-'));
  // As root, PostgreSQL runs as its own user, which must be able to reach the data directory.
  chmodSync(dataDir, 0o755);
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('starts, serves GraphQL and the demo house, and stops PostgreSQL cleanly on %s', async (signal) => {
    if (!existsSync(main)) throw new Error('dist/src/main.js is missing: run `npm run build` before `npm test`.');
    const port = await freePort();
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = { ...inherited, PORT: String(port), DATA_DIR: dataDir, DEMO: '1' };
    child = spawn(process.execPath, [main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 45_000;
    // The demo logins are printed after the address, possibly in a later chunk.
    while (!/amina\s+\/ tierslieu/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('Tiers-Lieu is running');
    expect(output).toMatch(/amina\s+\/ tierslieu/);

    const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ directory { name } }' }) });
    const body: any = await response.json();
    expect(body.data.directory.map((c: { name: string }) => c.name)).toContain('Migrations Libres');

    const postgresPid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(isAlive(postgresPid)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill(signal);
    expect(await exited).toBe(0);
    child = null;
    for (let i = 0; i < 50 && isAlive(postgresPid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(postgresPid)).toBe(false);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});

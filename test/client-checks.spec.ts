import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const client = join(__dirname, '..', 'client');

describe('the web client', () => {
  it('has every string in French, English and Arabic (no missing key)', async () => {
    const { stdout } = await run(process.execPath, [join(client, 'scripts', 'i18n-check.mjs')], { cwd: client });
    expect(stdout).not.toMatch(/missing/i);
  });

  it('keeps every collective colour at WCAG AA contrast with its text', async () => {
    const { stdout } = await run(process.execPath, [join(client, 'scripts', 'contrast-check.mjs')], { cwd: client });
    expect(stdout.trim().split('\n').length).toBeGreaterThan(3);
    expect(stdout).not.toMatch(/\bfail/i);
  });
});

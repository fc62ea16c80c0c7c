// The web client keeps its own dependencies (client/package.json) so that its
// toolchain never mixes with the server's; installing the root installs both.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const client = new URL('../client/', import.meta.url).pathname;
if (existsSync(`${client}package.json`)) {
  const verb = existsSync(`${client}package-lock.json`) ? 'ci' : 'install';
  execSync(`npm ${verb} --no-audit --no-fund`, { cwd: client, stdio: 'inherit' });
}

// `npm test` also checks the built app and web client (browser tests, start/stop test):
// build them first when a fresh checkout has not been built yet.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url).pathname;
const built = ['dist/src/main.js', 'client/dist/index.html'].every((file) => existsSync(root + file));
if (!built) {
  console.log('Building the app and the web client before the tests (npm run build)...');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}

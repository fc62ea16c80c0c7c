/**
 * `npm run bench`: the four benches one after the other, each in its own process (its own
 * PostgreSQL and app), all of them even when one fails, then one line each. Exit code: the
 * highest of theirs (0 all good, 1 a correctness check failed, 2 a bench crashed).
 * Missed performance targets do not fail a bench: they are FAIL rows in its summary table.
 */
import { spawnSync } from 'node:child_process';
import { extname, join } from 'node:path';

const BENCHES = ['bookings', 'live', 'access', 'reports'];

const outcomes = BENCHES.map((name) => {
  const started = Date.now();
  // Built once by `npm run bench`; each bench gets this process's node flags (no pretenuring, or ts-node).
  const run = spawnSync(process.execPath, [...process.execArgv, join(__dirname, `${name}.bench${extname(__filename)}`)], { stdio: 'inherit' });
  return { name, code: run.status ?? 2, seconds: (Date.now() - started) / 1000 };
});

console.log('\n=== All benches ==========================================================');
const meaning = (code: number) => (code === 0 ? 'checks passed (see its table for targets)' : code === 1 ? 'a correctness check FAILED' : 'CRASHED or was stopped');
for (const o of outcomes) console.log(`bench:${o.name.padEnd(9)} exit ${o.code}  ${o.seconds.toFixed(0).padStart(4)} s  ${meaning(o.code)}`);
process.exit(Math.max(...outcomes.map((o) => o.code)));

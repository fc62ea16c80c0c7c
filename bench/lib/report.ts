import { loadavg } from 'node:os';
import { CpuReading, otherCores } from './cpu';
import { table } from './stats';

export type Verdict = 'PASS' | 'FAIL' | 'info';

export const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'FAIL');
export const log = (message = '') => console.log(message);
export const section = (title: string) => log(`\n=== ${title} ${'='.repeat(Math.max(0, 70 - title.length))}`);
export const loadAverage = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/**
 * The rows of a bench's closing summary table. A performance target that is missed is a FAIL in
 * the table; a failed correctness check (a lost event, a failed request) also fails the run.
 */
export class Results {
  readonly rows: Array<{ name: string; value: string; target: string; verdict: Verdict; check: boolean }> = [];

  add(name: string, value: string, target: string, result: Verdict): void {
    this.rows.push({ name, value, target, verdict: result, check: false });
  }

  /** A correctness check: when it fails, the bench exits with code 1. */
  check(name: string, value: string, target: string, ok: boolean): void {
    this.rows.push({ name, value, target, verdict: verdict(ok), check: true });
  }

  info(name: string, value: string): void {
    this.add(name, value, '-', 'info');
  }

  /** How much of the machine other processes took during a phase: above ~0.3 cores, figures are noisy. */
  noise(phase: string, reading: CpuReading): void {
    const others = otherCores(reading);
    const value = others == null ? 'n/a (external PostgreSQL)' : `${others.toFixed(2)} of ${reading.cores} cores${others > 0.3 ? ' - NOISY' : ''}`;
    this.add(`${phase}: CPU used by other processes`, value, '~0', 'info');
  }

  get missedTargets(): boolean {
    return this.rows.some((r) => r.verdict === 'FAIL' && !r.check);
  }

  get failedChecks(): boolean {
    return this.rows.some((r) => r.verdict === 'FAIL' && r.check);
  }

  print(): void {
    log(table(['figure', 'value', 'target', 'result'], this.rows.map((r) => [r.name, r.value, r.target, r.verdict])));
    log(`\nload average at the end: ${loadAverage()} (2 shared cores: figures are noisy when other work runs)`);
  }
}

/**
 * Runs a bench's main with cleanup on success, failure and SIGINT/SIGTERM (steps run in array
 * order: unshift the app and workers, push the database). Exit code: 0 when every correctness
 * check passed (missed performance targets show as FAIL in the table, like bookings.bench.ts),
 * 1 when a check failed, 2 when the bench itself crashed.
 */
export function runBench(main: (cleanup: Array<() => Promise<void>>) => Promise<Results>): void {
  const cleanup: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const step of cleanup) await step().catch((error) => console.error(`cleanup: ${String(error)}`));
    })();
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the app and the database`);
      void shutdown().finally(() => process.exit(130));
    });
  }
  main(cleanup)
    .then(async (results) => {
      await shutdown();
      if (results.failedChecks) log('\nbench finished: a correctness check FAILED');
      else log(results.missedTargets ? '\nbench finished: some performance targets were missed' : '\nbench finished: every target met');
      process.exit(results.failedChecks ? 1 : 0);
    })
    .catch(async (error) => {
      console.error('\nbench crashed:', error);
      await shutdown();
      process.exit(2);
    });
}

import { ManualClock } from '../../src/common/time/clock';

/**
 * Milliseconds on the process-wide monotonic clock (CLOCK_MONOTONIC through hrtime): the same
 * clock in every worker thread, unlike performance.now(), whose origin is each thread's start.
 * Used to compare a time taken in one thread with a time taken in another.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * The app's clock for benches that need time to pass: it shows a chosen instant plus the real
 * time elapsed since, so a door's fresh `Date.now() + offsetMs` timestamp is within the 30 s the
 * server accepts. `set` jumps to another instant and keeps running from there. It extends
 * ManualClock only so that the harness (typed for ManualClock) takes it.
 */
export class RealTimeClock extends ManualClock {
  private base: number;
  private realStart: number;

  constructor(start: Date | string) {
    super(start);
    this.base = new Date(start).getTime();
    this.realStart = Date.now();
  }

  now(): Date {
    return new Date(this.base + (Date.now() - this.realStart));
  }

  set(instant: Date | string): void {
    this.base = new Date(instant).getTime();
    this.realStart = Date.now();
  }

  advance(ms: number): void {
    this.base += ms;
  }

  /** What to add to Date.now() to get this clock's time (a door in sync with the server). */
  get offsetMs(): number {
    return this.base - this.realStart;
  }
}

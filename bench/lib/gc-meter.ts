import { PerformanceEntry, PerformanceObserver, constants } from 'node:perf_hooks';

export interface GcReading {
  scavenges: number;
  scavengeMaxMs: number;
  markCompacts: number;
  markCompactMaxMs: number;
  totalMs: number;
}

/** Garbage-collection pauses of this thread (the app's, in the benches) from now until `read()`. */
export class GcMeter {
  private readonly reading: GcReading = { scavenges: 0, scavengeMaxMs: 0, markCompacts: 0, markCompactMaxMs: 0, totalMs: 0 };
  private readonly observer = new PerformanceObserver((list) => this.count(list.getEntries()));

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  read(): GcReading {
    this.count(this.observer.takeRecords());
    this.observer.disconnect();
    return { ...this.reading };
  }

  private count(entries: PerformanceEntry[]): void {
    for (const entry of entries) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      this.reading.totalMs += entry.duration;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        this.reading.scavenges++;
        this.reading.scavengeMaxMs = Math.max(this.reading.scavengeMaxMs, entry.duration);
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        this.reading.markCompacts++;
        this.reading.markCompactMaxMs = Math.max(this.reading.markCompactMaxMs, entry.duration);
      }
    }
  }
}

export function describeGc(r: GcReading): string {
  return (
    `app thread GC: ${r.scavenges} scavenges (longest ${r.scavengeMaxMs.toFixed(1)} ms), ` +
    `${r.markCompacts} mark-compacts (longest ${r.markCompactMaxMs.toFixed(1)} ms), ${r.totalMs.toFixed(0)} ms paused in all`
  );
}

import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { EventStream } from '../realtime/event-stream.service';
import { AccessSnapshot } from './access-snapshot';
import { AccessRepository } from './access.repository';

/** A snapshot answers for this long after it was read... */
const COVERS_MS = 10 * 60_000;
/** ...and is read again after this long, so that a change made by hand in SQL (not logged) reaches doors within a minute. */
const REFRESH_AFTER_MS = 60_000;

/**
 * Keeps one AccessSnapshot for door decisions: dropped as soon as the event stream shows a
 * change that is not a door decision, read again in the background. A door never waits
 * for it: without a usable snapshot, a decision reads the database.
 */
@Injectable()
export class AccessSnapshots implements OnApplicationBootstrap {
  private readonly logger = new Logger('AccessSnapshots');
  private snapshot: AccessSnapshot | null = null;
  private loading = false;
  /** The last change (not a door decision) the event stream has shown. */
  private lastChangeSeen = 0;

  constructor(
    private readonly access: AccessRepository,
    private readonly stream: EventStream,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stream.onEvent((event) => {
      if (event.type === 'access.decided') return;
      this.lastChangeSeen = Math.max(this.lastChangeSeen, event.seq);
      if (this.snapshot && event.seq > this.snapshot.lastChangeSeq) this.snapshot = null;
    });
  }

  /** The snapshot to decide from at `at`, or null (decide from the database; a new one is on its way). */
  usableAt(at: Date): AccessSnapshot | null {
    const snapshot = this.snapshot;
    if (snapshot?.covers(at)) {
      if (at.getTime() >= snapshot.from.getTime() + REFRESH_AFTER_MS) this.load();
      return snapshot;
    }
    this.load();
    return null;
  }

  /** A decision found the snapshot out of date (or the database changed without a log entry). */
  drop(snapshot: AccessSnapshot | null = this.snapshot): void {
    if (snapshot && this.snapshot === snapshot) this.snapshot = null;
    this.load();
  }

  private load(): void {
    if (this.loading) return;
    this.loading = true;
    const from = this.clock.now();
    this.access
      .decisionInputs(from, new Date(from.getTime() + COVERS_MS))
      .then((rows) => {
        this.loading = false;
        // Read before a change the stream has already shown: out of date at birth, read again.
        if (rows.lastChangeSeq < this.lastChangeSeen) return this.load();
        this.snapshot = new AccessSnapshot(rows, from, new Date(from.getTime() + COVERS_MS));
      })
      .catch((error: Error) => {
        this.loading = false;
        this.logger.warn(`reading what door decisions need failed: ${error.message}`);
      });
  }
}

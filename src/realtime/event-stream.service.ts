import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LoggedEvent } from '../audit/domain-events';
import { EVENT_LOG_CHANNEL, EventLogRepository } from '../audit/event-log.repository';

type Listener = (event: LoggedEvent) => void;

const BATCH = 500;
/**
 * Pulls start at least this far apart: under a stream of door decisions, one read brings
 * the entries of many commits instead of one read per commit. Quiet, a notification is
 * read at once.
 */
const MIN_PULL_INTERVAL_MS = 10;

/**
 * Follows the event log in seq order and hands each committed event to this instance's
 * listeners. PostgreSQL NOTIFY wakes it up; the seq tells it where it is, so a missed
 * notification or a lost connection delays delivery but never loses or reorders it.
 */
@Injectable()
export class EventStream implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventStream');
  private readonly listeners = new Set<Listener>();
  private listenClient: Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private pulling: Promise<void> | null = null;
  private pullAgain = false;
  private lastPullStartedAt = 0;
  private pullTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Every event up to here has been handed to the listeners. */
  position = 0;

  /**
   * How soon an instance reads what no notification told it about: a change whose
   * notification was lost, and door decisions, which notify no one (migration 013).
   * Static so that a test can lengthen it before the app starts.
   */
  static pollMs = 1_000;

  constructor(
    private readonly events: EventLogRepository,
    private readonly dataSource: DataSource,
  ) {}

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether door decisions should come with their person (someone shows them live now). */
  private accessPersonsWanted: () => boolean = () => false;

  wantAccessPersons(when: () => boolean): void {
    this.accessPersonsWanted = when;
  }

  /**
   * This instance committed door decisions, which notify no one: it reads them at once when
   * someone here shows them live, and otherwise leaves them to the next change or poll.
   */
  doorDecisionsRecorded(): void {
    if (this.accessPersonsWanted()) this.wake();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.position = await this.events.latestSeq();
    await this.listen();
    this.pollTimer = setInterval(() => this.wake(), EventStream.pollMs);
    this.pollTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.pullTimer) clearTimeout(this.pullTimer);
    await this.pulling;
    await this.listenClient?.end().catch(() => undefined);
  }

  /** Reads what was committed after `after` and up to this instance's position (for catch-up). */
  async readCommitted(after: number, limit = BATCH): Promise<LoggedEvent[]> {
    if (after >= this.position) return [];
    const events = await this.events.readAfter(after, limit, undefined, { accessPersons: true });
    return events.filter((event) => event.seq <= this.position);
  }

  wake(): void {
    if (this.stopped || this.pullTimer) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    const wait = this.lastPullStartedAt + MIN_PULL_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.pullTimer = setTimeout(() => {
        this.pullTimer = null;
        this.wake();
      }, wait);
      return;
    }
    this.lastPullStartedAt = Date.now();
    this.pulling = this.pull().finally(() => {
      this.pulling = null;
      if (this.pullAgain) {
        this.pullAgain = false;
        this.wake();
      }
    });
  }

  private async pull(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.events.readAfter(this.position, BATCH, undefined, { accessPersons: this.accessPersonsWanted() });
        for (const event of batch) {
          this.position = event.seq;
          for (const listener of this.listeners) {
            try {
              listener(event);
            } catch (error) {
              this.logger.error(error);
            }
          }
        }
        if (batch.length < BATCH || this.stopped) return;
      }
    } catch (error) {
      if (!this.stopped) this.logger.warn(`reading the event log failed: ${(error as Error).message}`);
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const options = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'tiers-lieu-listen' });
    client.on('notification', () => this.wake());
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.stopped) return;
      this.listenClient = null;
      // The poll keeps delivery going meanwhile; LISTEN comes back when the server does.
      setTimeout(() => void this.listen().catch(() => undefined), EventStream.pollMs).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_LOG_CHANNEL}`);
      this.listenClient = client;
      this.wake();
    } catch (error) {
      this.logger.warn(`LISTEN failed, polling meanwhile: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
    }
  }
}

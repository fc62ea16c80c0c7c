import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Db } from './db';

interface Job {
  name: string;
  everyMs: number;
  work: () => Promise<unknown>;
  timer?: NodeJS.Timeout;
  running?: boolean;
}

/**
 * Periodic work that must happen once however many app instances run: each run takes a
 * PostgreSQL advisory lock named after the job, and an instance that cannot get it skips.
 * Jobs are idempotent and catch up on what fell due while no instance ran.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly jobs = new Map<string, Job>();
  private started = false;

  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  register(name: string, everyMs: number, work: () => Promise<unknown>): void {
    const job: Job = { name, everyMs, work };
    this.jobs.set(name, job);
    if (this.started) this.start(job);
  }

  /** Runs a job now, under its lock; false when another instance holds it. */
  async runNow(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`No job ${name}`);
    return this.db.transaction(async () => {
      const [{ locked }] = await this.db.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked', [`job:${name}`]);
      if (!locked) return false;
      await job.work();
      return true;
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.runScheduler) return;
    this.started = true;
    for (const job of this.jobs.values()) this.start(job);
  }

  onApplicationShutdown(): void {
    this.started = false;
    for (const job of this.jobs.values()) clearInterval(job.timer);
  }

  private start(job: Job): void {
    const tick = async () => {
      if (job.running || !this.started) return;
      job.running = true;
      try {
        await this.runNow(job.name);
      } catch (error) {
        this.logger.error(`${job.name}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        job.running = false;
      }
    };
    job.timer = setInterval(() => void tick(), job.everyMs);
    job.timer.unref();
    void tick();
  }
}

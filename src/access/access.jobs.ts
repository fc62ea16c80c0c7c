import { Injectable, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Clock } from '../common/time/clock';
import { SITE_ZONE, formatInstant } from '../common/time/site-time';
import { EventLogRepository } from '../audit/event-log.repository';
import { AppSecrets } from '../database/app-secrets';
import { Scheduler } from '../database/scheduler';
import { HouseRulesService } from '../governance/house-rules.service';
import { AccessRepository } from './access.repository';

export const ACCESS_RETENTION_JOB = 'access.retention';
export const DOOR_REQUESTS_JOB = 'access.forget-door-requests';
export const ATTENDANCE_PSEUDONYM_SECRET = 'attendance-pseudonym';

/** Privacy housekeeping: old access events become daily attendance counts, then disappear. */
@Injectable()
export class AccessJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly access: AccessRepository,
    private readonly rules: HouseRulesService,
    private readonly secrets: AppSecrets,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Hourly, so a day is purged soon after it falls out of retention, whatever the restarts.
    this.scheduler.register(ACCESS_RETENTION_JOB, 3_600_000, () => this.purgeExpiredEvents());
    this.scheduler.register(DOOR_REQUESTS_JOB, 60_000, () => this.access.forgetRequestsBefore(new Date(this.clock.now().getTime() - 120_000)));
  }

  /** Deletes access events of local days older than ACCESS_LOG_RETENTION_DAYS, after counting them for attendance. */
  async purgeExpiredEvents(): Promise<number> {
    const days = await this.rules.value('ACCESS_LOG_RETENTION_DAYS');
    const cutoff = DateTime.fromJSDate(this.clock.now(), { zone: SITE_ZONE }).startOf('day').minus({ days }).toJSDate();
    const deleted = await this.access.moveEventsToAttendance({ before: cutoff }, await this.secrets.get(ATTENDANCE_PSEUDONYM_SECRET));
    if (deleted > 0) this.events.append({ type: 'access.purged', actorId: null, subjectType: 'access_event', subjectId: null, payload: { before: formatInstant(cutoff), deleted } });
    return deleted;
  }
}

import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Db } from '../database/db';
import { AppSecrets } from '../database/app-secrets';
import { SpacesService } from '../spaces/spaces.service';
import { ResourceEntity } from '../spaces/resource.entity';
import { ATTENDANCE_PSEUDONYM_SECRET } from '../access/access.jobs';
import { AttendanceRecord, GranularityName, OccupancyRecord, ReportsRepository } from './reports.repository';

const MAX_DAYS = 732;

export interface OccupancyReport {
  rows: Array<OccupancyRecord & { resource: ResourceEntity; occupancyRate: number; utilizationRate: number }>;
  ledger: { seq: number; hash: string };
}

/** Aggregated figures for the City: no person, badge or event is ever listed. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly spaces: SpacesService,
    private readonly secrets: AppSecrets,
    private readonly db: Db,
  ) {}

  async occupancy(from: Date, to: Date, granularity: GranularityName, resourceIds: string[] | null): Promise<OccupancyReport> {
    assertRange(from, to);
    if (resourceIds && resourceIds.length > 500) throw AppError.badInput('Ask for at most 500 resources.');
    // One snapshot: the rows account for exactly the ledger up to `ledger.seq`.
    const { records, ledger } = await this.db.transaction(async () => {
      const ledgerHead = await this.reports.ledgerHead();
      return { records: await this.reports.occupancy(from, to, granularity, resourceIds), ledger: ledgerHead };
    }, 'REPEATABLE READ');
    const resources = new Map((await this.spaces.resourcesByIds([...new Set(records.map((r) => r.resourceId))])).map((r) => [r.id, r]));
    const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
    return {
      rows: records.map((r) => ({ ...r, resource: resources.get(r.resourceId)!, occupancyRate: rate(r.bookedMinutes, r.openMinutes), utilizationRate: rate(r.usedMinutes, r.openMinutes) })),
      ledger,
    };
  }

  async attendance(from: Date, to: Date, granularity: GranularityName): Promise<AttendanceRecord[]> {
    assertRange(from, to);
    return this.reports.attendance(from, to, granularity, await this.secrets.get(ATTENDANCE_PSEUDONYM_SECRET));
  }
}

function assertRange(from: Date, to: Date): void {
  if (to <= from) throw AppError.badInput('"to" must come after "from".');
  if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw AppError.badInput(`Reports cover at most ${MAX_DAYS} days.`);
}

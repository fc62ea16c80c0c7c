import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ActorResolver } from '../common/auth/auth.guard';
import { AppError } from '../common/errors/app-error';
import { isUuid } from '../common/ids';
import { parseInstant } from '../common/time/date-time.scalar';
import { CSV_DIALECTS, CsvDialect, CsvValue, toCsv } from './csv';
import { GranularityName } from './reports.repository';
import { ReportsService } from './reports.service';

export const OCCUPANCY_COLUMNS = ['resourceId', 'resourceName', 'periodStart', 'periodEnd', 'openMinutes', 'bookedMinutes', 'usedMinutes', 'bookings', 'noShows', 'cancellations', 'distinctCollectives', 'occupancyRate', 'utilizationRate'];
export const ATTENDANCE_COLUMNS = ['periodStart', 'periodEnd', 'uniqueVisitors', 'entries'];
/**
 * Column titles of the Excel dialect, which the City's staff read in a spreadsheet in Liège:
 * in French, the building's language. The standard dialect keeps the field names, for programs.
 */
const EXCEL_TITLES: Record<string, string> = {
  resourceId: 'Identifiant de l’espace',
  resourceName: 'Espace',
  periodStart: 'Début',
  periodEnd: 'Fin',
  openMinutes: 'Minutes d’ouverture',
  bookedMinutes: 'Minutes réservées',
  usedMinutes: 'Minutes utilisées',
  bookings: 'Réservations',
  noShows: 'Absences',
  cancellations: 'Annulations',
  distinctCollectives: 'Collectifs différents',
  occupancyRate: 'Taux d’occupation',
  utilizationRate: 'Taux d’utilisation',
  uniqueVisitors: 'Personnes (badges différents)',
  entries: 'Entrées',
};
const titles = (columns: string[], dialect: CsvDialect): string[] => (dialect === 'excel' ? columns.map((column) => EXCEL_TITLES[column]) : columns);

/** The last record of the occupancy CSV: the ledger entry the report accounts for. */
export const LEDGER_MARK = '#ledger';

/** The same rows as the GraphQL reports, as CSV files for spreadsheets (Bearer token required). */
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly actors: ActorResolver,
  ) {}

  @Get('occupancy.csv')
  async occupancy(@Headers('authorization') authorization: string | undefined, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    await this.actors.requireFromHeader(authorization);
    const { from, to, granularity, dialect } = parseReportQuery(query);
    // ?resourceIds=a,b and ?resourceIds=a&resourceIds=b alike: a filter is never dropped silently.
    const raw = query.resourceIds;
    const parts = raw === undefined || raw === '' ? null : [raw].flat();
    if (parts?.some((part) => typeof part !== 'string')) throw AppError.badInput('resourceIds is a comma-separated list of ids.');
    const resourceIds = parts ? (parts as string[]).flatMap((part) => part.split(',')) : null;
    if (resourceIds?.some((id) => !isUuid(id))) throw AppError.badInput('resourceIds is a comma-separated list of ids.');
    const report = await this.reports.occupancy(from, to, granularity, resourceIds);
    const rows: CsvValue[][] = [titles(OCCUPANCY_COLUMNS, dialect)];
    for (const r of report.rows) {
      rows.push([r.resourceId, r.resource.name, r.periodStart, r.periodEnd, r.openMinutes, r.bookedMinutes, r.usedMinutes, r.bookings, r.noShows, r.cancellations, r.distinctCollectives, r.occupancyRate, r.utilizationRate]);
    }
    rows.push([LEDGER_MARK, String(report.ledger.seq), report.ledger.hash, ...Array(OCCUPANCY_COLUMNS.length - 3).fill('')]);
    send(res, 'occupancy', toCsv(rows, dialect), report.ledger);
  }

  @Get('attendance.csv')
  async attendance(@Headers('authorization') authorization: string | undefined, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    await this.actors.requireFromHeader(authorization);
    const { from, to, granularity, dialect } = parseReportQuery(query);
    const rows = await this.reports.attendance(from, to, granularity);
    send(res, 'attendance', toCsv([titles(ATTENDANCE_COLUMNS, dialect), ...rows.map((r) => [r.periodStart, r.periodEnd, r.uniqueVisitors, r.entries])], dialect), null);
  }
}

function parseReportQuery(query: Record<string, unknown>): { from: Date; to: Date; granularity: GranularityName; dialect: CsvDialect } {
  const granularity = query.granularity ?? 'DAY';
  const dialect = query.dialect ?? 'rfc4180';
  if (typeof query.from !== 'string' || typeof query.to !== 'string') throw AppError.badInput('Give from and to as ISO date-times with an offset.');
  if (granularity !== 'DAY' && granularity !== 'WEEK' && granularity !== 'MONTH') throw AppError.badInput('granularity is DAY, WEEK or MONTH.');
  if (!CSV_DIALECTS.includes(dialect as CsvDialect)) throw AppError.badInput(`dialect is ${CSV_DIALECTS.join(' or ')}.`);
  // An unencoded "+01:00" arrives as " 01:00"; a space never belongs in an ISO date-time.
  const instant = (value: string) => parseInstant(value.replace(' ', '+'));
  return { from: instant(query.from), to: instant(query.to), granularity, dialect: dialect as CsvDialect };
}

function send(res: Response, name: string, body: string, ledger: { seq: number; hash: string } | null): void {
  res.status(200).type('text/csv; charset=utf-8').setHeader('content-disposition', `attachment; filename="${name}.csv"`);
  if (ledger) res.setHeader('x-ledger-seq', String(ledger.seq)).setHeader('x-ledger-hash', ledger.hash);
  res.send(body);
}

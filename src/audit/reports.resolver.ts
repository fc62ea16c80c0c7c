import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { toResourceModel } from '../spaces/spaces.mappers';
import { AttendanceRowModel, Granularity, OccupancyRowModel } from './models/report.models';
import { ReportsService } from './reports.service';

@Resolver()
export class ReportsResolver {
  constructor(private readonly reports: ReportsService) {}

  @Query(() => [OccupancyRowModel])
  async occupancy(
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
    @Args('granularity', { type: () => Granularity }) granularity: Granularity,
    @Args('resourceIds', { type: () => [ID], nullable: true }) resourceIds: string[] | null,
  ): Promise<OccupancyRowModel[]> {
    const report = await this.reports.occupancy(from, to, granularity, resourceIds ?? null);
    return report.rows.map((row) => ({ ...row, resource: toResourceModel(row.resource) }));
  }

  @Query(() => [AttendanceRowModel])
  attendance(
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
    @Args('granularity', { type: () => Granularity }) granularity: Granularity,
  ): Promise<AttendanceRowModel[]> {
    return this.reports.attendance(from, to, granularity);
  }
}

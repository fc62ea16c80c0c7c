import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ActorResolver } from '../common/auth/auth.guard';
import { PersonalDataService } from './personal-data.service';

@Controller('me')
export class PersonalDataController {
  constructor(
    private readonly personalData: PersonalDataService,
    private readonly actors: ActorResolver,
  ) {}

  /** Everything the system holds about the caller (GDPR art. 15 and 20). */
  @Get('export.json')
  @Header('content-disposition', 'attachment; filename="tiers-lieu-my-data.json"')
  @Header('cache-control', 'no-store')
  async export(@Headers('authorization') authorization: string | undefined): Promise<Record<string, unknown>> {
    return this.personalData.export(await this.actors.requireFromHeader(authorization));
  }
}

import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { CalendarFeedService } from './calendar-feed.service';

@Controller('calendar')
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get(':file')
  @Header('content-type', 'text/calendar; charset=utf-8')
  @Header('cache-control', 'private, max-age=300')
  async feed(@Param('file') file: string): Promise<string> {
    const calendar = await this.feeds.render(file.replace(/\.ics$/, ''));
    if (calendar === null) throw new NotFoundException('No calendar at this address.');
    return calendar;
  }
}

import { Injectable } from '@nestjs/common';

export interface DemoIds {
  collectiveIds: Map<string, string>;
  qualificationIds: Map<string, string>;
  personIds: Map<string, string>;
}

/** Zones, spaces and a plausible month of bookings for the demo house. */
@Injectable()
export class DemoSpacesSeeder {
  async seed(_ids: DemoIds): Promise<void> {
    // Spaces arrive with the booking engine.
  }
}

import { TestApp } from './test-app';

export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

export function hours(days: number[], opens: string, closes: string) {
  return days.map((weekday) => ({ weekday, opens, closes }));
}

export interface ResourceOptions {
  name?: string;
  kind?: string;
  zoneId?: string;
  slotMinutes?: number;
  minMinutes?: number;
  maxMinutes?: number;
  bufferMinutes?: number;
  requiredQualificationId?: string | null;
  requiresApproval?: boolean;
  openingHours?: Array<{ weekday: number; opens: string; closes: string }>;
  rates?: Array<{ tier: string; centsPerHour: number }>;
  capacity?: number;
}

let counter = 0;

/** Zones and resources through the GraphQL API, as a steward would create them. */
export class SpacesBuilder {
  constructor(
    private readonly t: TestApp,
    private readonly stewardToken: string,
  ) {}

  async zone(openToMembersAnytime = false): Promise<string> {
    const data = await this.t.gqlOk(
      `mutation($n: String!, $o: Boolean!) { createZone(name: $n, openToMembersAnytime: $o) { id } }`,
      { n: `Zone ${Date.now().toString(36)}${counter++}`, o: openToMembersAnytime },
      this.stewardToken,
    );
    return data.createZone.id;
  }

  async resource(options: ResourceOptions = {}): Promise<string> {
    const input = {
      name: options.name ?? `Resource ${Date.now().toString(36)}${counter++}`,
      kind: options.kind ?? 'ROOM',
      capacity: options.capacity ?? 10,
      zoneId: options.zoneId ?? (await this.zone()),
      slotMinutes: options.slotMinutes ?? 30,
      minMinutes: options.minMinutes ?? 30,
      maxMinutes: options.maxMinutes ?? 480,
      bufferMinutes: options.bufferMinutes ?? 0,
      requiredQualificationId: options.requiredQualificationId ?? null,
      requiresApproval: options.requiresApproval ?? false,
      openingHours: options.openingHours ?? hours(EVERY_DAY, '07:00', '23:00'),
      rates: options.rates ?? [
        { tier: 'SOLIDARITY', centsPerHour: 0 },
        { tier: 'REDUCED', centsPerHour: 400 },
        { tier: 'STANDARD', centsPerHour: 1200 },
      ],
    };
    const data = await this.t.gqlOk(`mutation($input: ResourceInput!) { createResource(input: $input) { id } }`, { input }, this.stewardToken);
    return data.createResource.id;
  }
}

export const BOOK = `mutation($input: BookInput!) { book(input: $input) { id startsAt endsAt status seriesId priceCents collective { id } resource { id } } }`;

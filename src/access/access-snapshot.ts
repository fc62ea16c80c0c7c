import { BadgeHolder, DecisionInputRows, DoorState, WindowBooking } from './access.repository';

/** What a door decision reads: the database (AccessRepository) or a snapshot of it in memory. */
export interface DecisionInputs {
  holdersOfUids(lookups: Array<{ uidHash: string; at: Date }>): Promise<Array<BadgeHolder | null>> | Array<BadgeHolder | null>;
  bookingsOpeningZones(lookups: Array<{ personId: string; zoneId: string }>, at: Date): Promise<WindowBooking[][]> | WindowBooking[][];
  /** These doors as the inputs know them; null when a door is unknown to them (a snapshot read before it was registered). */
  doorStates(doorIds: string[]): Promise<Map<string, DoorState> | null> | Map<string, DoorState> | null;
}

type Membership = DecisionInputRows['memberships'][number];
type Grant = DecisionInputRows['grants'][number];
type Booking = DecisionInputRows['bookings'][number];

const activeAt = (at: Date, from: Date, to: Date | null) => from <= at && (to === null || to > at);

/**
 * Badges, memberships, grants and bookings as they were at one point of the event log,
 * answering the same questions as AccessRepository's holdersOfUids and
 * bookingsOpeningZones, for any instant in [from, until). A decision taken from it is
 * recorded only if nothing but door decisions was logged since (see recordDecisions).
 */
export class AccessSnapshot implements DecisionInputs {
  readonly lastChangeSeq: number;
  private readonly badges = new Map<string, DecisionInputRows['badges'][number]>();
  private readonly memberships = new Map<string, Membership[]>();
  private readonly grants = new Map<string, Grant[]>();
  private readonly bookingsByZone = new Map<string, Booking[]>();
  private readonly doors: Map<string, DoorState>;

  constructor(
    rows: DecisionInputRows,
    readonly from: Date,
    readonly until: Date,
  ) {
    this.lastChangeSeq = rows.lastChangeSeq;
    this.doors = new Map(rows.doors.map((door) => [door.id, door]));
    for (const badge of rows.badges) this.badges.set(badge.uidHash, badge);
    const group = <T>(map: Map<string, T[]>, key: string, value: T) => map.set(key, [...(map.get(key) ?? []), value]);
    for (const m of rows.memberships) group(this.memberships, m.personId, m);
    for (const g of rows.grants) group(this.grants, g.personId, g);
    for (const b of rows.bookings) group(this.bookingsByZone, b.zoneId, b);
  }

  covers(at: Date): boolean {
    return at >= this.from && at < this.until;
  }

  doorStates(doorIds: string[]): Map<string, DoorState> | null {
    return doorIds.every((id) => this.doors.has(id)) ? this.doors : null;
  }

  holdersOfUids(lookups: Array<{ uidHash: string; at: Date }>): Array<BadgeHolder | null> {
    return lookups.map(({ uidHash, at }) => {
      const badge = this.badges.get(uidHash);
      if (!badge) return null;
      const { uidHash: _, ...holder } = badge;
      return { ...holder, activeMember: (this.memberships.get(badge.personId) ?? []).some((m) => activeAt(at, m.startsAt, m.endsAt)) };
    });
  }

  bookingsOpeningZones(lookups: Array<{ personId: string; zoneId: string }>, at: Date): WindowBooking[][] {
    return lookups.map(({ personId, zoneId }) => {
      const collectives = new Set((this.memberships.get(personId) ?? []).filter((m) => activeAt(at, m.startsAt, m.endsAt)).map((m) => m.collectiveId));
      const grants = this.grants.get(personId) ?? [];
      return (this.bookingsByZone.get(zoneId) ?? [])
        .filter((b) => collectives.has(b.collectiveId) && b.opensAt <= at && at < b.closesAt)
        .map((b) => ({
          id: b.id,
          status: b.status,
          endsAt: b.endsAt,
          qualified: b.requiredQualificationId === null || grants.some((g) => g.qualificationId === b.requiredQualificationId && activeAt(at, g.grantedAt, g.expiresAt)),
        }));
    });
  }
}

import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/time/clock';
import { EventStream } from '../realtime/event-stream.service';
import { AccessRepository, DoorWithSecret } from './access.repository';
import { DOOR_ID_HEADER, DOOR_SIGNATURE_HEADER, DOOR_TIMESTAMP_HEADER, MAX_CLOCK_SKEW_MS, RETIRED_DOOR, signDoorRequest, signaturesEqual } from './door-protocol';

export interface SignedRequest {
  method: string;
  pathWithQuery: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | string;
}

const refuse = () => AppError.unauthenticated('Request not signed by a known door.');

/** Checks a door's signed request; a request is accepted once (replays are refused). */
@Injectable()
export class DoorAuthService implements OnApplicationBootstrap {
  /**
   * A door's secret and zone never change once registered, until the door is retired, which
   * the event stream shows: each instance reads a door once, and again after that. Its zone's
   * hours may change: decisions and allowlists read them from their own inputs. So may its
   * names, which nothing on a door's requests reads.
   */
  private readonly doors = new Map<string, DoorWithSecret>();
  /** Doors being retired on this instance: read anew until the stream shows it done. */
  private readonly retiring = new Set<string>();

  constructor(
    private readonly access: AccessRepository,
    private readonly clock: Clock,
    private readonly stream: EventStream,
  ) {}

  onApplicationBootstrap(): void {
    this.stream.onEvent((event) => {
      if (event.type !== 'door.retired' || !event.subjectId) return;
      this.doors.delete(event.subjectId);
      this.retiring.delete(event.subjectId);
    });
  }

  /** This instance is retiring the door: from now on its requests are checked against the database. */
  forget(doorId: string): void {
    this.retiring.add(doorId);
    this.doors.delete(doorId);
  }

  /** Verifies identity, freshness and signature, without writing anything. */
  async verify(request: SignedRequest): Promise<{ door: DoorWithSecret; signature: string }> {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const doorId = header(DOOR_ID_HEADER);
    const timestamp = header(DOOR_TIMESTAMP_HEADER);
    const signature = header(DOOR_SIGNATURE_HEADER);
    if (!doorId || !timestamp || !signature || !/^\d{1,16}$/.test(timestamp)) throw refuse();
    if (Math.abs(this.clock.now().getTime() - Number(timestamp)) > MAX_CLOCK_SKEW_MS) throw AppError.unauthenticated('The door clock is more than 30 seconds off.');
    const door = this.doors.get(doorId) ?? (await this.access.doorWithSecret(doorId));
    if (!door) throw refuse();
    if (!this.retiring.has(door.id)) this.doors.set(door.id, door);
    const expected = signDoorRequest(door.secret, timestamp, request.method, request.pathWithQuery, request.rawBody);
    if (!signaturesEqual(expected, signature)) throw refuse();
    if (door.retiredAt) throw AppError.unauthenticated(RETIRED_DOOR);
    return { door, signature };
  }

  /** Must run inside the transaction of the request's effects: a replay rolls everything back. */
  async acceptOnce(door: DoorWithSecret, signature: string): Promise<void> {
    const now = this.clock.now();
    if (!(await this.access.rememberRequest(door.id, signature, now))) throw AppError.unauthenticated('This request was already received (replay).');
  }

  /**
   * Verifies a socket.io handshake signed like a GET of the namespace path, once: someone who
   * recorded it on the door's network cannot replay it to hear the door's change notices.
   */
  async verifyHandshake(auth: { doorId?: unknown; timestamp?: unknown; signature?: unknown }, path: string): Promise<DoorWithSecret | null> {
    if (typeof auth?.doorId !== 'string' || typeof auth.signature !== 'string' || (typeof auth.timestamp !== 'string' && typeof auth.timestamp !== 'number')) return null;
    try {
      const { door, signature } = await this.verify({
        method: 'GET',
        pathWithQuery: path,
        headers: { [DOOR_ID_HEADER]: auth.doorId, [DOOR_TIMESTAMP_HEADER]: String(auth.timestamp), [DOOR_SIGNATURE_HEADER]: auth.signature },
        rawBody: '',
      });
      return (await this.access.rememberRequest(door.id, signature, this.clock.now())) ? door : null;
    } catch {
      return null;
    }
  }
}

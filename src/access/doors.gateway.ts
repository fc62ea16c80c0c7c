import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import { LoggedEvent } from '../audit/domain-events';
import { EventStream } from '../realtime/event-stream.service';
import { AccessRepository } from './access.repository';
import { DoorAuthService } from './door-auth.service';
import { DOORS_NAMESPACE } from './door-protocol';

/**
 * Changes after which every door's allowlist may differ. A resource's update is rare and may
 * move its bookings from one zone's doors to another's: all doors are told.
 */
const HOUSE_WIDE = new Set(['badge.issued', 'badge.status_changed', 'membership.added', 'membership.ended', 'qualification.granted', 'qualification.revoked', 'rule.set', 'person.erased', 'resource.updated', 'zone.updated']);

const ALL_DOORS = '*';

/** A zone or resource renamed or translated, and nothing else: no door decides differently. */
function onlyRenamed(event: LoggedEvent): boolean {
  if (event.type !== 'zone.updated' && event.type !== 'resource.updated') return false;
  const { changed } = event.payload as { changed?: string[] };
  return Array.isArray(changed) && changed.every((field) => field === 'name' || field === 'names');
}

/**
 * socket.io namespace /doors: a door controller connects with a signed handshake and is
 * told `allowlist.changed` as soon as a committed change may alter its allowlist.
 */
@WebSocketGateway({ namespace: DOORS_NAMESPACE })
export class DoorsGateway implements OnGatewayInit, OnApplicationBootstrap {
  private readonly logger = new Logger('DoorsGateway');
  @WebSocketServer() private readonly namespace: Namespace;
  /**
   * Door ids by resource id. Doors never move, so the answer changes only when a door is
   * registered or a resource is updated (it may move to another zone), which the same stream
   * shows first.
   */
  private readonly doorIds = new Map<string, Promise<string[]>>();

  constructor(
    private readonly auth: DoorAuthService,
    private readonly access: AccessRepository,
    private readonly stream: EventStream,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      this.auth
        .verifyHandshake(socket.handshake.auth ?? {}, DOORS_NAMESPACE)
        .then((door) => {
          if (!door) return next(new Error('UNAUTHENTICATED'));
          socket.data.doorId = door.id;
          socket.join(`door:${door.id}`);
          next();
        })
        .catch(() => next(new Error('UNAUTHENTICATED')));
    });
  }

  onApplicationBootstrap(): void {
    this.stream.onEvent((event) => void this.notify(event).catch((error) => this.logger.warn(error.message)));
  }

  private async notify(event: LoggedEvent): Promise<void> {
    if (event.type === 'door.registered' || event.type === 'resource.updated') this.doorIds.clear();
    if (event.type === 'door.retired' && event.subjectId) this.namespace.in(`door:${event.subjectId}`).disconnectSockets(true);
    let doorIds: string[] = [];
    if (HOUSE_WIDE.has(event.type) && !onlyRenamed(event)) doorIds = await this.doorsOf(ALL_DOORS);
    else if (event.type === 'booking.changed') doorIds = await this.doorsOf((event.payload as { booking: { resourceId: string } }).booking.resourceId);
    else if (event.type === 'badge.door_keys_learned') doorIds = (event.payload as { doorIds: string[] }).doorIds;
    for (const doorId of doorIds) this.namespace.to(`door:${doorId}`).emit('allowlist.changed', { doorId, seq: event.seq });
  }

  /** The doors of a resource (or all of them): read once, as events arrive in log order. */
  private doorsOf(resourceId: string): Promise<string[]> {
    let doorIds = this.doorIds.get(resourceId);
    if (!doorIds) {
      doorIds = resourceId === ALL_DOORS ? this.access.allDoorIds() : this.access.doorIdsOfResource(resourceId);
      this.doorIds.set(resourceId, doorIds);
      doorIds.catch(() => this.doorIds.get(resourceId) === doorIds && this.doorIds.delete(resourceId));
    }
    return doorIds;
  }
}

import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { Actor } from '../common/auth/actor';
import { ActorResolver } from '../common/auth/auth.guard';
import { isUuid, uuidKey } from '../common/ids';
import { EventStream } from './event-stream.service';
import { RoutedLiveEvent, toLiveEvent } from './client-events';

const ALL_RESOURCES_ROOM = 'resources:all';
const EVERYONE_ROOM = 'everyone';
const STAFF_ROOM = 'staff';
const resourceRoom = (id: string) => `resource:${id}`;
/** A client further behind than this reloads its data instead of replaying the log. */
const MAX_REPLAY = 20_000;

interface SubscribeRequest {
  resourceIds?: unknown;
  since?: unknown;
}

/**
 * socket.io namespace /live. A subscriber first catches up from `since` by reading the
 * event log, then joins the rooms through which this instance's EventStream fans out
 * new events: each event reaches it once, in seq order.
 */
@WebSocketGateway({ namespace: '/live', cors: { origin: true } })
export class LiveGateway implements OnGatewayInit, OnApplicationBootstrap {
  private readonly logger = new Logger('LiveGateway');
  @WebSocketServer() private readonly namespace: Namespace;

  constructor(
    private readonly actors: ActorResolver,
    private readonly stream: EventStream,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      if (typeof token !== 'string') return next(new Error('UNAUTHENTICATED'));
      this.actors
        .fromToken(token)
        .then((actor) => {
          if (actor === 'invalid') return next(new Error('UNAUTHENTICATED'));
          socket.data.actor = actor;
          next();
        })
        .catch(() => next(new Error('UNAUTHENTICATED')));
    });
  }

  onApplicationBootstrap(): void {
    // Only stewards see door decisions, with their person: the stream reads it while one watches.
    this.stream.wantAccessPersons(() => (this.namespace.adapter.rooms.get(STAFF_ROOM)?.size ?? 0) > 0);
    this.stream.onEvent((event) => {
      // An erased person's open sockets go before any later event could reach them.
      if (event.type === 'person.erased' && event.subjectId) this.disconnectPerson(event.subjectId);
      if (event.type === 'person.signed_out' && event.subjectId) void this.disconnectSignedOut(event.subjectId);
      const live = toLiveEvent(event);
      if (live) this.broadcast(live);
    });
  }

  private disconnectPerson(personId: string): void {
    for (const socket of this.namespace.sockets.values()) {
      if ((socket.data.actor as Actor | undefined)?.personId === personId) socket.disconnect(true);
    }
  }

  /** The person's sockets whose token no longer works (one device, or all of them). */
  private async disconnectSignedOut(personId: string): Promise<void> {
    for (const socket of [...this.namespace.sockets.values()]) {
      if ((socket.data.actor as Actor | undefined)?.personId !== personId) continue;
      const actor = await this.actors.fromToken(String((socket.handshake.auth as { token?: unknown })?.token)).catch(() => null);
      if (actor === 'invalid') socket.disconnect(true);
    }
  }

  private broadcast(event: RoutedLiveEvent): void {
    const rooms = event.staffOnly ? [STAFF_ROOM] : event.name === 'booking.changed' && event.resourceId ? [ALL_RESOURCES_ROOM, resourceRoom(event.resourceId)] : [EVERYONE_ROOM];
    // socket.io encodes a packet before it looks for sockets: not for every door decision when no steward watches.
    if (!rooms.some((room) => this.namespace.adapter.rooms.get(room)?.size)) return;
    this.namespace.to(rooms).emit(event.name, event.body);
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() request: SubscribeRequest): Promise<{ ok: boolean; seq?: number; resync?: boolean; error?: string }> {
    // The token and the roles are checked again, as for every GraphQL request: the socket may
    // be older than an erasure or an expiry.
    const actor = await this.actors.fromToken(String((socket.handshake.auth as { token?: unknown })?.token));
    if (actor === 'invalid') {
      setImmediate(() => socket.disconnect(true));
      return { ok: false, error: 'UNAUTHENTICATED' };
    }
    socket.data.actor = actor;
    const resourceIds = Array.isArray(request?.resourceIds) ? request.resourceIds.filter(isUuid).slice(0, 500).map(uuidKey) : null;
    const since = Number.isSafeInteger(request?.since) && (request.since as number) >= 0 ? (request.since as number) : null;
    const wanted = new Set(resourceIds ?? []);
    const isStaff = actor.isStaff;
    const matches = (event: RoutedLiveEvent) =>
      event.staffOnly ? isStaff : event.name !== 'booking.changed' || resourceIds === null || wanted.has(event.resourceId!);

    for (const room of socket.rooms) if (room !== socket.id) socket.leave(room);
    const tooFarBehind = since !== null && this.stream.position - since > MAX_REPLAY;
    let cursor = since !== null && !tooFarBehind ? since : this.stream.position;
    try {
      // Catch up to the stream's position; no await separates the last check from joining the rooms.
      for (;;) {
        const missed = await this.stream.readCommitted(cursor);
        if (missed.length === 0 && cursor >= this.stream.position) break;
        for (const event of missed) {
          const live = toLiveEvent(event);
          if (live && matches(live)) socket.emit(live.name, live.body);
          cursor = event.seq;
        }
        if (missed.length === 0) cursor = this.stream.position;
      }
    } catch (error) {
      this.logger.warn(`catch-up failed: ${(error as Error).message}`);
      return { ok: false, error: 'Could not read the missed events; subscribe again.' };
    }
    socket.join(EVERYONE_ROOM);
    if (isStaff) socket.join(STAFF_ROOM);
    if (resourceIds === null) socket.join(ALL_RESOURCES_ROOM);
    else for (const id of resourceIds) socket.join(resourceRoom(id));
    return tooFarBehind ? { ok: true, seq: cursor, resync: true } : { ok: true, seq: cursor };
  }
}

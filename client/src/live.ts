// Live updates: socket.io namespace /live. Events carry a global seq; we keep the last
// one applied, pass it as `since` when we reconnect, and ignore anything already applied.
import { io, type Socket } from 'socket.io-client';
import { Store } from './store';
import type { BookingStatus, ProposalStatus, RuleKey } from './types';

export interface LiveBooking {
  id: string;
  resourceId: string;
  collectiveId: string;
  collectiveName: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: BookingStatus;
}

/** A door decision (stewards and admins only). */
export interface LiveAccess {
  /** The access event's id, as the list of the day's decisions gives it. */
  id: string;
  doorId: string;
  personId: string | null;
  decision: 'ALLOW' | 'DENY';
  reason: string;
  at: string;
  bookingId: string | null;
  offline: boolean;
}

export type LiveEvent =
  | { type: 'booking.changed'; seq: number; booking: LiveBooking }
  | { type: 'access.decided'; seq: number; event: LiveAccess }
  | { type: 'proposal.changed'; seq: number; proposal: { id: string; status: ProposalStatus; turnout: number } }
  | { type: 'rules.changed'; seq: number; rule: { key: RuleKey; resourceId: string | null; value: number } }
  | { type: 'resource.changed'; seq: number; resource: { id: string; change: 'created' | 'updated' } }
  /** A zone or training was created, renamed or translated (a zone also opened 24/7 or not). */
  | { type: 'zone.changed'; seq: number; zone: { id: string; change: 'created' | 'updated' } }
  | { type: 'qualification.changed'; seq: number; qualification: { id: string; change: 'created' | 'updated' } }
  /** A door was registered, renamed or translated, or retired. */
  | { type: 'door.changed'; seq: number; door: { id: string; change: 'created' | 'updated' | 'retired' } };

export type LiveStatus = 'off' | 'connecting' | 'live' | 'offline';

const EVENTS = ['booking.changed', 'proposal.changed', 'rules.changed', 'resource.changed', 'zone.changed', 'qualification.changed', 'door.changed', 'access.decided'] as const;

class Live {
  status = new Store<LiveStatus>('off');
  private socket: Socket | null = null;
  private lastSeq: number | null = null;
  private listeners = new Set<(e: LiveEvent) => void>();
  private token: string | null = null;
  private rejected: (() => void) | null = null;

  /** Called when the server closes the socket or refuses the token: the session may have ended (signed out elsewhere, erased). */
  onRejected(fn: () => void): void {
    this.rejected = fn;
  }

  get seq(): number | null {
    return this.lastSeq;
  }

  start(token: string): void {
    if (this.socket && this.token === token) return;
    this.stop();
    this.token = token;
    this.status.set('connecting');
    const socket = io('/live', {
      auth: { token },
      transports: ['websocket', 'polling'],
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10_000,
    });
    this.socket = socket;
    socket.on('connect', () => this.subscribe(socket));
    socket.on('disconnect', (reason) => {
      this.status.set('offline');
      // The server only closes a socket whose session ended; socket.io does not reconnect it.
      if (reason === 'io server disconnect') this.rejected?.();
    });
    socket.on('connect_error', (error) => {
      this.status.set('offline');
      if (error.message === 'UNAUTHENTICATED') this.rejected?.();
    });
    for (const type of EVENTS) {
      socket.on(type, (payload: Record<string, unknown>) => this.receive({ type, ...payload } as LiveEvent));
    }
  }

  private subscribe(socket: Socket): void {
    const req: { since?: number } = {};
    if (this.lastSeq != null) req.since = this.lastSeq;
    socket.timeout(10_000).emit('subscribe', req, (err: unknown, ack?: { ok?: boolean; seq?: number; resync?: boolean }) => {
      if (err || !ack?.ok) {
        this.status.set('offline');
        // The server could not catch us up: ask again while the socket stays up.
        setTimeout(() => socket.connected && this.socket === socket && this.subscribe(socket), 2000);
        return;
      }
      // Away for too long to replay what was missed: start again from fresh data.
      if (ack.resync) {
        window.location.reload();
        return;
      }
      // Missed events arrive before the acknowledgement, which tells where the log
      // stands now (events for resources we do not follow are skipped up to it).
      if (typeof ack.seq === 'number') this.lastSeq = Math.max(this.lastSeq ?? ack.seq, ack.seq);
      this.status.set('live');
    });
  }

  private receive(e: LiveEvent): void {
    if (typeof e.seq !== 'number') return;
    if (this.lastSeq != null && e.seq <= this.lastSeq) return;
    this.lastSeq = e.seq;
    this.listeners.forEach((fn) => {
      try {
        fn(e);
      } catch (err) {
        console.error(err);
      }
    });
  }

  on(fn: (e: LiveEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  stop(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.token = null;
    this.lastSeq = null;
    this.status.set('off');
  }
}

export const live = new Live();

(window as unknown as { __live?: Live }).__live = live;

import { randomUUID } from 'node:crypto';
import { Socket, io } from 'socket.io-client';
import {
  ALLOWLIST_SIGNATURE_HEADER,
  Allowlist,
  DOORS_NAMESPACE,
  DOOR_ID_HEADER,
  DOOR_SIGNATURE_HEADER,
  DOOR_TIMESTAMP_HEADER,
  DecisionRequestBody,
  DecisionResponse,
  MAX_CLOCK_SKEW_MS,
  OfflineEvent,
  badgeKey,
  hmacHex,
  normalizeUid,
  signDoorRequest,
  signaturesEqual,
} from '../../src/access/door-protocol';

/**
 * Uploads and allowlist fetches wait longer than a decision: nobody stands at the door for
 * them, and a server just restarted (or a thousand queued events) may need more than 300 ms.
 */
const BACKGROUND_TIMEOUT_MS = 5_000;

export interface DoorControllerOptions {
  doorId: string;
  secret: string;
  /** Base URL of the server, e.g. http://localhost:3000 */
  url: string;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now?: () => number;
  serverTimeoutMs?: number;
  refreshEveryMs?: number;
  log?: (message: string) => void;
}

export interface DoorDecision {
  decision: 'ALLOW' | 'DENY';
  reason: string;
  /** Whether the server decided (online) or the door alone, from its allowlist. */
  source: 'server' | 'allowlist';
  bookingId?: string;
  eventId: string;
}

/**
 * The reference door controller: asks the server first (300 ms), decides from its signed
 * allowlist when the server does not answer, refuses everything once the allowlist has
 * expired, and uploads what it decided offline when the server is back.
 */
export class DoorController {
  private allowlist: Allowlist | null = null;
  private queue: OfflineEvent[] = [];
  private flushing: Promise<{ accepted: number; duplicates: number } | null> | null = null;
  private socket: Socket | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  /** Resolves each time the allowlist is replaced (tests wait on it). */
  allowlistVersion = 0;

  constructor(private readonly options: DoorControllerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
  }

  get queuedEvents(): readonly OfflineEvent[] {
    return this.queue;
  }

  get currentAllowlist(): Allowlist | null {
    return this.allowlist;
  }

  /** Whether the server's push channel is connected. */
  get pushConnected(): boolean {
    return this.socket?.connected ?? false;
  }

  async start(): Promise<void> {
    await this.refreshAllowlist().catch((error) => this.log(`allowlist: ${error.message}`));
    this.connectPush();
    this.refreshTimer = setInterval(() => void this.refreshAllowlist().catch(() => undefined), this.options.refreshEveryMs ?? 10 * 60_000);
    this.refreshTimer.unref();
  }

  stop(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.socket?.disconnect();
    this.socket = null;
  }

  /** A badge at the door. */
  async present(rawUid: string): Promise<DoorDecision> {
    const uid = normalizeUid(rawUid);
    if (!uid) return { decision: 'DENY', reason: 'UNREADABLE_BADGE', source: 'allowlist', eventId: randomUUID() };
    // Chosen here, so that a decision the server records but answers too late for the door is
    // the same event as the one the door then decides offline and uploads: counted once.
    const eventId = randomUUID();
    try {
      const answer = await this.signedFetch<DecisionResponse>('POST', '/access/v1/decisions', JSON.stringify({ badgeUid: uid, eventId } satisfies DecisionRequestBody), this.options.serverTimeoutMs ?? 300);
      void this.flushQueue().catch(() => undefined);
      return { ...answer, source: 'server' };
    } catch (error) {
      this.log(`server unreachable (${(error as Error).message}); deciding from the allowlist`);
      const offline = this.decideOffline(uid, eventId);
      this.queue.push({ id: offline.eventId, badgeUid: uid, at: new Date(this.now()).toISOString(), decision: offline.decision, reason: offline.reason });
      return offline;
    }
  }

  decideOffline(uid: string, eventId: string = randomUUID()): DoorDecision {
    const deny = (reason: string): DoorDecision => ({ decision: 'DENY', reason, source: 'allowlist', eventId });
    const list = this.allowlist;
    const now = this.now();
    if (!list || now >= Date.parse(list.validUntil)) return deny('ALLOWLIST_EXPIRED');
    const key = badgeKey(this.options.secret, uid);
    const entry = list.entries.find((e) => e.badgeKey === key);
    if (!entry) return deny('NOT_ON_ALLOWLIST');
    if (entry.anytime) return { decision: 'ALLOW', reason: 'ANYTIME', source: 'allowlist', eventId };
    const open = entry.windows?.some((w) => Date.parse(w.from) <= now && now < Date.parse(w.to));
    return open ? { decision: 'ALLOW', reason: 'BOOKING_WINDOW', source: 'allowlist', eventId } : deny('OUTSIDE_WINDOW');
  }

  /**
   * Uploads queued offline decisions; the server ignores ones it already has. One upload at
   * a time: two at once would each remove their batch's length from the front of the queue,
   * dropping decisions queued meanwhile that were never sent.
   */
  flushQueue(): Promise<{ accepted: number; duplicates: number } | null> {
    this.flushing ??= this.uploadQueue().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async uploadQueue(): Promise<{ accepted: number; duplicates: number } | null> {
    if (this.queue.length === 0) return null;
    const batch = this.queue.slice(0, 1000);
    const result = await this.signedFetch<{ accepted: number; duplicates: number }>('POST', '/access/v1/events', JSON.stringify({ events: batch }), BACKGROUND_TIMEOUT_MS);
    const sent = new Set(batch.map((event) => event.id));
    this.queue = this.queue.filter((event) => !sent.has(event.id));
    return result;
  }

  /**
   * Fetches the allowlist and keeps it only if the server signed it for this door just now,
   * and it is newer than the one kept: a list recorded before a badge was revoked, replayed
   * by someone on the door's network, would let that badge in while the server is unreachable.
   */
  async refreshAllowlist(): Promise<void> {
    const { body, headers } = await this.signedRequest('GET', '/access/v1/allowlist', '', BACKGROUND_TIMEOUT_MS);
    const signature = headers.get(ALLOWLIST_SIGNATURE_HEADER) ?? '';
    if (!signaturesEqual(hmacHex(this.options.secret, body), signature)) throw new Error('allowlist signature is wrong; keeping the previous one');
    const list = JSON.parse(body) as Allowlist;
    const generatedAt = Date.parse(list.generatedAt);
    if (list.doorId !== this.options.doorId) throw new Error('allowlist is for another door; keeping the previous one');
    if (!(Math.abs(generatedAt - this.now()) <= MAX_CLOCK_SKEW_MS)) throw new Error('allowlist is not fresh; keeping the previous one');
    if (this.allowlist && generatedAt < Date.parse(this.allowlist.generatedAt)) return;
    this.allowlist = list;
    this.allowlistVersion++;
  }

  private connectPush(): void {
    this.socket = io(`${this.options.url}${DOORS_NAMESPACE}`, {
      transports: ['websocket'],
      auth: (callback) => {
        const ts = String(this.now());
        callback({ doorId: this.options.doorId, timestamp: ts, signature: signDoorRequest(this.options.secret, ts, 'GET', DOORS_NAMESPACE, '') });
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    this.socket.on('allowlist.changed', () => void this.refreshAllowlist().catch((error) => this.log(`refresh: ${error.message}`)));
    this.socket.on('connect', () => {
      void this.refreshAllowlist().catch(() => undefined);
      void this.flushQueue().catch(() => undefined);
    });
  }

  private async signedFetch<T>(method: string, path: string, body: string, timeoutMs: number): Promise<T> {
    const { body: text } = await this.signedRequest(method, path, body, timeoutMs);
    return JSON.parse(text) as T;
  }

  private async signedRequest(method: string, path: string, body: string, timeoutMs: number): Promise<{ body: string; headers: Headers }> {
    const timestamp = String(this.now());
    const response = await fetch(`${this.options.url}${path}`, {
      method,
      headers: {
        [DOOR_ID_HEADER]: this.options.doorId,
        [DOOR_TIMESTAMP_HEADER]: timestamp,
        [DOOR_SIGNATURE_HEADER]: signDoorRequest(this.options.secret, timestamp, method, path, body),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body || undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    return { body: text, headers: response.headers };
  }
}

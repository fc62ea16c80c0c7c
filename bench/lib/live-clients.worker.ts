/**
 * Worker thread of bench/live.bench.ts: holds many socket.io clients on /live, each subscribed to
 * everything, and records when each `booking.changed` arrives (lib/clock.ts monotonicMs, taken
 * first thing in the handler). Messages (see LiveClientsPool in live-pool.ts):
 *   in:  { type: 'collect', ids, timeoutMs }  -> out: { type: 'collected', ...CollectResult }
 *        { type: 'reset' }                    -> out: { type: 'reset-done' }
 *        { type: 'close' }                    -> out: { type: 'closed' }
 *   out at start: { type: 'ready', ...ReadyResult }
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Socket, io } from 'socket.io-client';
import { monotonicMs } from './clock';

export interface LiveWorkerData {
  url: string;
  tokens: string[];
  /** Handshakes in flight at once while connecting. */
  connectConcurrency: number;
}

export interface ReadyResult {
  connected: number;
  failed: number;
  firstError: string | null;
  connectMs: number;
  /** Time from asking to connect until the subscribe acknowledgement, per client. */
  setupMs: number[];
}

export interface CollectResult {
  clients: number;
  /** Receive time (monotonicMs) of id j at client i at [j * clients + i]; NaN when it never came. */
  firstAt: Float64Array;
  lost: number;
  duplicates: number;
  /** booking.changed events about other bookings. */
  unexpected: number;
  /** Events that arrived with a seq lower than one the client already had. */
  outOfOrder: number;
  clientsMissingSome: number;
  disconnects: number;
  waitedMs: number;
  /** How busy this worker's event loop was since the last reset (a busy client delays its own receive times). */
  eventLoopUtilization: number;
}

const { url, tokens, connectConcurrency } = workerData as LiveWorkerData;
const port = parentPort!;
const sockets: Socket[] = [];
/** Per client: what arrived, in arrival order. */
let received: Array<{ ids: string[]; seqs: number[]; at: number[] }> = tokens.map(() => ({ ids: [], seqs: [], at: [] }));
let disconnects = 0;
let elu = performance.eventLoopUtilization();

async function connectOne(i: number): Promise<number> {
  const asked = monotonicMs();
  const socket = io(`${url}/live`, { auth: { token: tokens[i] }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
  socket.on('booking.changed', (body: { seq: number; booking: { id: string } }) => {
    const at = monotonicMs();
    const record = received[i];
    record.ids.push(body.booking.id);
    record.seqs.push(body.seq);
    record.at.push(at);
  });
  socket.on('disconnect', () => disconnects++);
  sockets[i] = socket;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  const ack = (await socket.timeout(30_000).emitWithAck('subscribe', {})) as { ok: boolean };
  if (!ack?.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
  return monotonicMs() - asked;
}

async function connectAll(): Promise<ReadyResult> {
  const started = monotonicMs();
  const setupMs: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const lane = async () => {
    while (next < tokens.length) {
      const i = next++;
      try {
        setupMs.push(await connectOne(i));
      } catch (error) {
        failed++;
        firstError ??= String((error as Error)?.message ?? error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(connectConcurrency, tokens.length) }, lane));
  return { connected: tokens.length - failed, failed, firstError, connectMs: monotonicMs() - started, setupMs };
}

/** Waits until every client has every id once (or the timeout), then counts. */
async function collect(ids: string[], timeoutMs: number): Promise<CollectResult> {
  const started = monotonicMs();
  const wanted = new Set(ids);
  // Cheap test first (events are still arriving while this polls), the exact one when it passes.
  const complete = () =>
    received.every((r) => r.ids.length >= ids.length) && received.every((r) => new Set(r.ids.filter((id) => wanted.has(id))).size === ids.length);
  while (!complete() && monotonicMs() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 25));
  // Late duplicates would show up just after the last first copy: listen a little longer.
  await new Promise((resolve) => setTimeout(resolve, 250));

  const clients = tokens.length;
  const index = new Map(ids.map((id, j) => [id, j]));
  const firstAt = new Float64Array(ids.length * clients).fill(NaN);
  let lost = 0;
  let duplicates = 0;
  let unexpected = 0;
  let outOfOrder = 0;
  let clientsMissingSome = 0;
  received.forEach((r, i) => {
    const counts = new Uint32Array(ids.length);
    let lastSeq = -Infinity;
    r.ids.forEach((id, k) => {
      if (r.seqs[k] < lastSeq) outOfOrder++;
      lastSeq = Math.max(lastSeq, r.seqs[k]);
      const j = index.get(id);
      if (j === undefined) {
        unexpected++;
        return;
      }
      if (counts[j]++ === 0) firstAt[j * clients + i] = r.at[k];
    });
    let missing = 0;
    for (const n of counts) {
      if (n === 0) missing++;
      if (n > 1) duplicates += n - 1;
    }
    lost += missing;
    if (missing) clientsMissingSome++;
  });
  const utilization = performance.eventLoopUtilization(elu).utilization;
  return { clients, firstAt, lost, duplicates, unexpected, outOfOrder, clientsMissingSome, disconnects, waitedMs: monotonicMs() - started, eventLoopUtilization: utilization };
}

port.on('message', (message: { type: string; ids?: string[]; timeoutMs?: number }) => {
  void (async () => {
    switch (message.type) {
      case 'collect': {
        const result = await collect(message.ids!, message.timeoutMs!);
        port.postMessage({ type: 'collected', ...result }, [result.firstAt.buffer as ArrayBuffer]);
        break;
      }
      case 'reset':
        received = tokens.map(() => ({ ids: [], seqs: [], at: [] }));
        disconnects = 0;
        elu = performance.eventLoopUtilization();
        port.postMessage({ type: 'reset-done' });
        break;
      case 'close':
        for (const socket of sockets) socket?.disconnect();
        port.postMessage({ type: 'closed' });
        break;
    }
  })();
});

void connectAll().then((ready) => {
  elu = performance.eventLoopUtilization();
  port.postMessage({ type: 'ready', ...ready });
});

/**
 * Worker thread of bench/access.bench.ts: sends signed door requests (POST /access/v1/decisions)
 * over keep-alive connections (lib/raw-http.ts), open loop (a fixed arrival rate, whatever the answers)
 * or closed loop (N in flight, the next one leaving as one answers). Each request is signed with
 * a fresh timestamp (Date.now() + the app clock's offset); a (door, uid) pair never reuses a
 * millisecond, so no two requests are identical and none is refused as a replay.
 * Posts one { type: 'done', ...DoorLoadResult } and exits.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { DOOR_ID_HEADER, DOOR_SIGNATURE_HEADER, DOOR_TIMESTAMP_HEADER, signDoorRequest } from '../../src/access/door-protocol';
import { monotonicMs } from './clock';
import { RawHttpPool } from './raw-http';

export interface DoorLoadData {
  host: string;
  port: number;
  path: string;
  doors: Array<{ id: string; secret: string }>;
  uids: string[];
  /** expected[door][uid]: the reason the app must answer; null: any 200 with a decision (the bare server). */
  expected: string[][] | null;
  clockOffsetMs: number;
  mode: 'open' | 'closed';
  /** Open loop: requests per second. */
  rate: number;
  /** Closed loop: requests in flight. */
  concurrency: number;
  /** Sent first and not recorded (JIT, connections, caches). */
  warmupMs: number;
  durationMs: number;
  /** Where the (door, uid) sequence starts, so that successive runs do not start alike. */
  seed: number;
}

export interface DoorLoadResult {
  sent: number;
  /** Recorded requests (after the warm-up) that got an answer or an error. */
  completed: number;
  /** From the first recorded send to the last recorded answer. */
  wallMs: number;
  /** Send -> last byte of the answer, per recorded request. */
  latencies: Float64Array;
  /** Open loop: intended send time -> answer (includes the generator's own lateness). */
  fromIntended: Float64Array;
  /** Open loop: how late each request left after its intended time. */
  lateness: Float64Array;
  /** HTTP status counts of every request, warm-up included (0: network error). */
  statuses: Record<string, number>;
  /** Reasons answered, warm-up included. */
  reasons: Record<string, number>;
  /** 200 answers whose reason is not the expected one (warm-up included). */
  mismatches: number;
  firstMismatch: string | null;
  firstError: string | null;
  /** The first answer of each status other than 200, to tell why requests failed. */
  firstErrorByStatus: Record<string, string>;
  /** ALLOW/DENY answers with an eventId (recorded and warm-up), to compare with the rows written. */
  decided: number;
  generatorEventLoopUtilization: number;
}

const data = workerData as DoorLoadData;
const port = parentPort!;
const pool = new RawHttpPool(data.host, data.port);
const pairs = data.doors.length * data.uids.length;
const lastStamp = new Float64Array(pairs);
const bodies = data.uids.map((uid) => JSON.stringify({ badgeUid: uid }));

/** Request k: doors alternate, uids go through a fixed stride (coprime with the count) from the seed. */
function pick(k: number): { door: number; uid: number } {
  const n = k + data.seed;
  const stride = strideFor(data.uids.length);
  return { door: n % data.doors.length, uid: (Math.floor(n / data.doors.length) * stride) % data.uids.length };
}

function strideFor(n: number): number {
  for (let s = Math.floor(n * 0.618); s > 1; s--) if (gcd(s, n) === 1) return s;
  return 1;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

interface Outcome {
  status: number;
  reason: string | null;
  eventId: boolean;
  error: string | null;
}

function send(k: number): Promise<Outcome> {
  const { door, uid } = pick(k);
  const pair = door * data.uids.length + uid;
  const stamp = Math.max(Math.floor(Date.now() + data.clockOffsetMs), lastStamp[pair] + 1);
  lastStamp[pair] = stamp;
  const body = bodies[uid];
  const { id, secret } = data.doors[door];
  const head =
    `POST ${data.path} HTTP/1.1\r\ncontent-type: application/json\r\n${DOOR_ID_HEADER}: ${id}\r\n${DOOR_TIMESTAMP_HEADER}: ${stamp}\r\n` +
    `${DOOR_SIGNATURE_HEADER}: ${signDoorRequest(secret, stamp, 'POST', data.path, body)}`;
  return pool.request(head, body).then(
    ({ status, body: text }) => {
      let parsed: { decision?: string; reason?: string; eventId?: string } | null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      const expected = data.expected?.[door][uid];
      let error: string | null = null;
      if (status !== 200 || !parsed?.decision) error = `HTTP ${status}: ${text.slice(0, 200)}`;
      else if (expected && parsed.reason !== expected) error = `mismatch: door ${door}, uid ${data.uids[uid]}: expected ${expected}, got ${parsed.decision} ${parsed.reason}`;
      return { status, reason: parsed?.reason ?? null, eventId: typeof parsed?.eventId === 'string', error };
    },
    (e: Error) => ({ status: 0, reason: null, eventId: false, error: String(e) }),
  );
}

async function run(): Promise<DoorLoadResult> {
  const latencies: number[] = [];
  const fromIntended: number[] = [];
  const lateness: number[] = [];
  const statuses: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  let mismatches = 0;
  let firstMismatch: string | null = null;
  let firstError: string | null = null;
  const firstErrorByStatus: Record<string, string> = {};
  let decided = 0;
  let sent = 0;
  let completed = 0;
  let firstSend = Infinity;
  let lastDone = -Infinity;
  let elu = performance.eventLoopUtilization();

  // Statuses, reasons and mismatches count every request (warm-up too); timings only recorded ones.
  const account = (outcome: Outcome, recorded: boolean, sentAt: number, intended: number | null) => {
    const doneAt = monotonicMs();
    if (outcome.eventId) decided++;
    statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
    if (outcome.reason) reasons[outcome.reason] = (reasons[outcome.reason] ?? 0) + 1;
    if (outcome.error?.startsWith('mismatch')) {
      mismatches++;
      firstMismatch ??= outcome.error;
    } else if (outcome.error) firstError ??= outcome.error;
    if (outcome.status !== 200 && outcome.error) firstErrorByStatus[outcome.status] ??= outcome.error;
    if (!recorded) return;
    completed++;
    lastDone = Math.max(lastDone, doneAt);
    latencies.push(doneAt - sentAt);
    if (intended !== null) {
      fromIntended.push(doneAt - intended);
      lateness.push(sentAt - intended);
    }
  };

  const start = monotonicMs();
  const measureFrom = start + data.warmupMs;
  const end = measureFrom + data.durationMs;
  let k = 0;

  if (data.mode === 'closed') {
    const lane = async () => {
      for (;;) {
        const sentAt = monotonicMs();
        if (sentAt >= end) return;
        const recorded = sentAt >= measureFrom;
        if (recorded) {
          if (firstSend === Infinity) elu = performance.eventLoopUtilization();
          firstSend = Math.min(firstSend, sentAt);
        }
        sent++;
        account(await send(k++), recorded, sentAt, null);
      }
    };
    await Promise.all(Array.from({ length: data.concurrency }, lane));
  } else {
    const interval = 1000 / data.rate;
    const total = Math.round(((data.warmupMs + data.durationMs) / 1000) * data.rate);
    const pending: Array<Promise<void>> = [];
    await new Promise<void>((resolve) => {
      const pump = () => {
        const now = monotonicMs();
        while (k < total && start + k * interval <= now) {
          const intended = start + k * interval;
          const recorded = intended >= measureFrom;
          const sentAt = monotonicMs();
          if (recorded && firstSend === Infinity) {
            elu = performance.eventLoopUtilization();
            firstSend = sentAt;
          }
          sent++;
          pending.push(send(k++).then((outcome) => account(outcome, recorded, sentAt, recorded ? intended : null)));
        }
        if (k < total) setTimeout(pump, Math.max(0, start + k * interval - monotonicMs() - 0.5));
        else resolve();
      };
      pump();
    });
    await Promise.all(pending);
  }
  const utilization = performance.eventLoopUtilization(elu).utilization;
  pool.destroy();
  return {
    sent,
    completed,
    wallMs: lastDone - firstSend,
    latencies: Float64Array.from(latencies),
    fromIntended: Float64Array.from(fromIntended),
    lateness: Float64Array.from(lateness),
    statuses,
    reasons,
    mismatches,
    firstMismatch,
    firstError,
    firstErrorByStatus,
    decided,
    generatorEventLoopUtilization: utilization,
  };
}

void run().then((result) => {
  port.postMessage({ type: 'done', ...result }, [result.latencies.buffer as ArrayBuffer, result.fromIntended.buffer as ArrayBuffer, result.lateness.buffer as ArrayBuffer]);
});

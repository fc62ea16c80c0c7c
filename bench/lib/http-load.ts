import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  query: string;
  variables: Record<string, unknown>;
  token: string | null;
}

export interface LoadResult {
  ms: number;
  /** Null when the response has data and no errors. */
  code: string | null;
  /** The first error, for the report. */
  error?: unknown;
  data?: unknown;
  /** Just before the request left, and when its response was read: lib/clock.ts monotonicMs (comparable across threads). */
  sentAt: number;
  doneAt: number;
}

// Plain JavaScript so that the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { url, requests, concurrency, keepData, spacingMs } = workerData;
const results = new Array(requests.length);
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
let next = 0;
async function one(i) {
  const r = requests[i];
  const sentAt = monotonicMs();
  const start = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: Object.assign({ 'content-type': 'application/json' }, r.token ? { authorization: 'Bearer ' + r.token } : {}),
      body: JSON.stringify({ query: r.query, variables: r.variables }),
    });
    const text = await response.text();
    const ms = performance.now() - start;
    const doneAt = monotonicMs();
    let body;
    try { body = JSON.parse(text); } catch { body = { errors: [{ message: 'HTTP ' + response.status + ': ' + text.slice(0, 200), extensions: { code: 'HTTP_' + response.status } }] }; }
    const error = body.errors && body.errors[0];
    results[i] = error
      ? { ms, code: (error.extensions && error.extensions.code) || 'UNKNOWN', error, sentAt, doneAt }
      : { ms, code: body.data ? null : 'NO_DATA', data: keepData ? body.data : undefined, sentAt, doneAt };
  } catch (e) {
    results[i] = { ms: performance.now() - start, code: 'NETWORK', error: String(e), sentAt, doneAt: monotonicMs() };
  }
}
async function loop() {
  while (next < requests.length) {
    const i = next++;
    // Spaced: request i leaves no earlier than i * spacingMs after the start (open loop).
    const wait = spacingMs > 0 ? started + i * spacingMs - performance.now() : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await one(i);
  }
}
const started = performance.now();
Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, loop)).then(() =>
  parentPort.postMessage({ wallMs: performance.now() - started, results }));
`;

/**
 * Sends GraphQL requests from a worker thread, at most `concurrency` in flight (all at once when
 * concurrency >= requests.length). The load generator gets its own event loop, so its fetch and
 * JSON work does not queue behind the server's on the main thread. With `spacingMs`, request i
 * is sent no earlier than i * spacingMs after the first (a steady arrival rate).
 */
export function sendFromWorker(
  baseUrl: string,
  requests: LoadRequest[],
  concurrency: number,
  options: { keepData?: boolean; spacingMs?: number } = {},
): Promise<{ wallMs: number; results: LoadResult[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { url: `${baseUrl}/graphql`, requests, concurrency, keepData: options.keepData ?? false, spacingMs: options.spacingMs ?? 0 },
    });
    let settled = false;
    worker.once('message', (message) => {
      settled = true;
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`load worker exited with code ${code}`));
    });
  });
}

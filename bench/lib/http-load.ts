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
}

// Plain JavaScript so that the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { url, requests, concurrency, keepData } = workerData;
const results = new Array(requests.length);
let next = 0;
async function one(i) {
  const r = requests[i];
  const start = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: Object.assign({ 'content-type': 'application/json' }, r.token ? { authorization: 'Bearer ' + r.token } : {}),
      body: JSON.stringify({ query: r.query, variables: r.variables }),
    });
    const text = await response.text();
    const ms = performance.now() - start;
    let body;
    try { body = JSON.parse(text); } catch { body = { errors: [{ message: 'HTTP ' + response.status + ': ' + text.slice(0, 200), extensions: { code: 'HTTP_' + response.status } }] }; }
    const error = body.errors && body.errors[0];
    results[i] = error
      ? { ms, code: (error.extensions && error.extensions.code) || 'UNKNOWN', error }
      : { ms, code: body.data ? null : 'NO_DATA', data: keepData ? body.data : undefined };
  } catch (e) {
    results[i] = { ms: performance.now() - start, code: 'NETWORK', error: String(e) };
  }
}
async function loop() {
  while (next < requests.length) await one(next++);
}
const started = performance.now();
Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, loop)).then(() =>
  parentPort.postMessage({ wallMs: performance.now() - started, results }));
`;

/**
 * Sends GraphQL requests from a worker thread, at most `concurrency` in flight (all at once when
 * concurrency >= requests.length). The load generator gets its own event loop, so its fetch and
 * JSON work does not queue behind the server's on the main thread.
 */
export function sendFromWorker(
  baseUrl: string,
  requests: LoadRequest[],
  concurrency: number,
  options: { keepData?: boolean } = {},
): Promise<{ wallMs: number; results: LoadResult[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { url: `${baseUrl}/graphql`, requests, concurrency, keepData: options.keepData ?? false },
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

/**
 * Worker thread of lib/http-load.ts: sends GraphQL requests over keep-alive connections
 * (lib/raw-http.ts), at most `concurrency` in flight, and posts one
 * { wallMs, results } when every request has been answered.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { monotonicMs } from './clock';
import type { LoadRequest, LoadResult } from './http-load';
import { RawHttpPool } from './raw-http';

export interface GraphqlLoadData {
  host: string;
  port: number;
  path: string;
  requests: LoadRequest[];
  concurrency: number;
  keepData: boolean;
  /** Request i leaves no earlier than i * spacingMs after the start (open loop); 0: as soon as a slot frees. */
  spacingMs: number;
}

const { host, port, path, requests, concurrency, keepData, spacingMs } = workerData as GraphqlLoadData;
const pool = new RawHttpPool(host, port);
const results = new Array<LoadResult>(requests.length);
let next = 0;

async function one(i: number): Promise<void> {
  const request = requests[i];
  const head = `POST ${path} HTTP/1.1\r\ncontent-type: application/json${request.token ? `\r\nauthorization: Bearer ${request.token}` : ''}`;
  const sentAt = monotonicMs();
  const start = performance.now();
  try {
    const response = await pool.request(head, JSON.stringify({ query: request.query, variables: request.variables }));
    const ms = performance.now() - start;
    const doneAt = monotonicMs();
    let body: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    try {
      body = JSON.parse(response.body);
    } catch {
      body = { errors: [{ message: `HTTP ${response.status}: ${response.body.slice(0, 200)}`, extensions: { code: `HTTP_${response.status}` } } as never] };
    }
    const error = body.errors?.[0];
    results[i] = error
      ? { ms, code: error.extensions?.code ?? 'UNKNOWN', error, sentAt, doneAt }
      : { ms, code: body.data ? null : 'NO_DATA', data: keepData ? body.data : undefined, sentAt, doneAt };
  } catch (error) {
    results[i] = { ms: performance.now() - start, code: 'NETWORK', error: String(error), sentAt, doneAt: monotonicMs() };
  }
}

const started = performance.now();
async function loop(): Promise<void> {
  while (next < requests.length) {
    const i = next++;
    const wait = spacingMs > 0 ? started + i * spacingMs - performance.now() : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await one(i);
  }
}

void Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, loop)).then(() => {
  pool.destroy();
  parentPort!.postMessage({ wallMs: performance.now() - started, results });
});

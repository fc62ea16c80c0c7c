import type { GraphqlLoadData } from './graphql-load.worker';
import { startBenchWorker } from './worker';

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

/**
 * Sends GraphQL requests from a worker thread (lib/graphql-load.worker.ts), at most
 * `concurrency` in flight (all at once when concurrency >= requests.length). The load generator
 * gets its own event loop, so its work does not queue behind the server's on the main thread,
 * and it speaks HTTP through the lean client of lib/raw-http.ts: fetch cost the generator about
 * 1 ms of CPU per request, on the two cores it shares with the app and PostgreSQL. With
 * `spacingMs`, request i is sent no earlier than i * spacingMs after the first (a steady
 * arrival rate).
 */
export function sendFromWorker(
  baseUrl: string,
  requests: LoadRequest[],
  concurrency: number,
  options: { keepData?: boolean; spacingMs?: number } = {},
): Promise<{ wallMs: number; results: LoadResult[] }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const data: GraphqlLoadData = {
      host: hostname,
      port: Number(port),
      path: '/graphql',
      requests,
      concurrency,
      keepData: options.keepData ?? false,
      spacingMs: options.spacingMs ?? 0,
    };
    const worker = startBenchWorker('graphql-load.worker', data);
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

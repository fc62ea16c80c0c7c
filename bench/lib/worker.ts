import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a module of bench/lib (`name` without extension), the way this
 * bench runs: compiled JavaScript (`npm run bench:*`), or TypeScript when the bench itself
 * was started through ts-node, which the worker then registers too.
 */
export function startBenchWorker(name: string, workerData: unknown): Worker {
  const extension = extname(__filename);
  const file = join(__dirname, `${name}${extension}`);
  const register = extension === '.ts' ? `if (!require.extensions['.ts']) require(${JSON.stringify(require.resolve('ts-node/register/transpile-only'))});\n` : '';
  return new Worker(`${register}require(${JSON.stringify(file)});`, { eval: true, workerData });
}

/** Request/response over a worker's messages: every message is `{ type, ... }`. */
export class WorkerChannel {
  private readonly waiting = new Map<string, Array<{ resolve: (value: any) => void; reject: (error: Error) => void }>>();
  /** Messages nobody waited for yet, kept for the next `next(type)`. */
  private readonly unclaimed = new Map<string, unknown[]>();
  private failure: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (message: { type: string }) => {
      const next = this.waiting.get(message.type)?.shift();
      if (next) next.resolve(message);
      else this.unclaimed.set(message.type, [...(this.unclaimed.get(message.type) ?? []), message]);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const queue of this.waiting.values()) for (const w of queue.splice(0)) w.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
  }

  /** Resolves with the next message of this type (kept if it arrived before anyone asked). */
  next<T>(type: string, timeoutMs = 120_000): Promise<T> {
    const kept = this.unclaimed.get(type);
    if (kept?.length) return Promise.resolve(kept.shift() as T);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${type}" from the worker within ${timeoutMs} ms`)), timeoutMs);
      const entry = {
        resolve: (value: T) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiting.set(type, [...(this.waiting.get(type) ?? []), entry]);
    });
  }

  async ask<T>(message: { type: string; [key: string]: unknown }, replyType: string, timeoutMs?: number): Promise<T> {
    const reply = this.next<T>(replyType, timeoutMs);
    this.worker.postMessage(message);
    return reply;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

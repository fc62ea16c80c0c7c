import { Session } from 'node:inspector';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by where the code lives: an npm package, the app's src/, node internals, GC, idle. */
  byPlace: Array<[string, number]>;
  /** The functions with the most self time. */
  topFunctions: Array<[string, number]>;
}

/**
 * Samples the main thread (the app's: the bench's clients run in workers) with the V8 CPU
 * profiler while `work` runs. Sampling at 1 ms slows the app a little; use for attribution only.
 */
export async function profileMainThread<T>(work: () => Promise<T>): Promise<{ value: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 1000 });
    await post('Profiler.start');
    const value = await work();
    const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
    return { value, summary: summarizeProfile(profile) };
  } finally {
    session.disconnect();
  }
}

function place(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const src = url.indexOf('/src/');
  if (src >= 0) return `app src/${url.slice(src + 5).split('/')[0]}`;
  return url.replace(/^.*\/(bench|test)\//, '$1/');
}

function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  for (const [id, msSelf] of self) {
    const frame = byId.get(id)!.callFrame;
    totalMs += msSelf;
    const where = place(frame.url, frame.functionName);
    byPlace.set(where, (byPlace.get(where) ?? 0) + msSelf);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${place(frame.url, '')}:${frame.lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + msSelf);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { totalMs, byPlace: sorted(byPlace), topFunctions: sorted(byFunction).slice(0, 15) };
}

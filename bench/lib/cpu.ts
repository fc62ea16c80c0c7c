import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { EventLoopUtilization, performance } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineTicks(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** From a /proc/.../stat file: own utime + stime, reaped children's cutime + cstime (ticks), parent pid. */
function statFile(path: string): { ticks: number; reapedTicks: number; ppid: number } | null {
  try {
    const text = readFileSync(path, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), reapedTicks: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null;
  }
}

/**
 * CPU ticks of the postmaster and all of its children (backends, WAL writer, checkpointer...).
 * Backends that exited (the pool closes idle connections) count through the postmaster's
 * reaped-children time, so the total never goes backwards.
 */
function postgresTicks(postmasterPid: number | undefined): number | null {
  if (!postmasterPid) return null;
  let ticks = 0;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = statFile(`/proc/${entry}/stat`);
      if (!stat) continue;
      if (Number(entry) === postmasterPid) ticks += stat.ticks + stat.reapedTicks;
      else if (stat.ppid === postmasterPid) ticks += stat.ticks;
    }
  } catch {
    return null;
  }
  return ticks;
}

/** The main thread only: the app's event loop (the bench client runs in a worker thread). */
const mainThreadTicks = () => statFile(`/proc/${process.pid}/task/${process.pid}/stat`)?.ticks ?? null;

export interface CpuReading {
  wallMs: number;
  /** Share of time the main thread's event loop was busy (the app's; 1 = saturated). */
  eventLoopUtilization: number;
  /** The main thread (the app): JavaScript, the GC's main-thread part, syscalls. */
  mainThreadMs: number | null;
  /** The whole Node process: main thread, the bench client's worker, GC and libuv threads. */
  nodeMs: number;
  /** The embedded PostgreSQL server, when the bench started it (null with DATABASE_URL). */
  postgresMs: number | null;
  machinePercent: number | null;
  cores: number;
}

export class CpuMeter {
  private readonly wall = performance.now();
  private readonly node = process.cpuUsage();
  private readonly machine = machineTicks();
  private readonly postgres: number | null;
  private readonly mainThread = mainThreadTicks();
  private readonly elu: EventLoopUtilization = performance.eventLoopUtilization();

  constructor(private readonly postmasterPid?: number) {
    this.postgres = postgresTicks(postmasterPid);
  }

  read(): CpuReading {
    const node = process.cpuUsage(this.node);
    const machine = machineTicks();
    const pg = postgresTicks(this.postmasterPid);
    const main = mainThreadTicks();
    const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
    return {
      wallMs: performance.now() - this.wall,
      eventLoopUtilization: performance.eventLoopUtilization(this.elu).utilization,
      mainThreadMs: main != null && this.mainThread != null ? ticksToMs(main - this.mainThread) : null,
      nodeMs: (node.user + node.system) / 1000,
      postgresMs: pg != null && this.postgres != null ? ticksToMs(pg - this.postgres) : null,
      machinePercent: machine && this.machine ? ((machine.busy - this.machine.busy) / Math.max(1, machine.total - this.machine.total)) * 100 : null,
      cores: cpus().length,
    };
  }
}

/** Who used the CPU: the app's event loop, PostgreSQL, and everything else on the machine. */
export function describeCpu(r: CpuReading, operations: number, unit = 'booking'): string {
  const per = (cpuMs: number) => `${(cpuMs / operations).toFixed(2)} ms/${unit}`;
  const core = (cpuMs: number) => `${((cpuMs / r.wallMs) * 100).toFixed(0)}% of a core`;
  const parts = [`app event loop busy ${(r.eventLoopUtilization * 100).toFixed(0)}%`];
  if (r.mainThreadMs != null) parts.push(`app main thread ${core(r.mainThreadMs)}, ${per(r.mainThreadMs)}`);
  parts.push(`whole node process (app + client worker + GC) ${core(r.nodeMs)}, ${per(r.nodeMs)}`);
  if (r.postgresMs != null) parts.push(`postgres ${core(r.postgresMs)}, ${per(r.postgresMs)}`);
  if (r.machinePercent != null) {
    const others = otherCores(r);
    parts.push(`machine ${r.machinePercent.toFixed(0)}% of ${r.cores} cores busy${others != null ? `, ${others.toFixed(2)} cores used by other processes` : ''}`);
  }
  return `CPU: ${parts.join('; ')}`;
}

/** Cores' worth of CPU that processes other than this Node process and its PostgreSQL used. */
export function otherCores(r: CpuReading): number | null {
  if (r.machinePercent == null || r.postgresMs == null) return null;
  return Math.max(0, (r.machinePercent / 100) * r.cores - (r.nodeMs + r.postgresMs) / r.wallMs);
}

/**
 * What the measured CPU cost per operation allows with the machine to ourselves: the app's
 * single event loop cannot exceed one core, and app + PostgreSQL + client share all cores.
 */
export function cpuCeiling(r: CpuReading, operations: number): { eventLoop: number | null; machine: number | null } {
  const perOp = (cpuMs: number) => cpuMs / operations;
  return {
    eventLoop: r.mainThreadMs ? 1000 / perOp(r.mainThreadMs) : null,
    machine: r.postgresMs != null ? (r.cores * 1000) / perOp(r.nodeMs + r.postgresMs) : null,
  };
}

/** User and system CPU ticks of each PostgreSQL process (postmaster included, with its exited children's). */
export function postgresProcessTicks(postmasterPid: number | undefined): Map<number, { user: number; system: number }> {
  const out = new Map<number, { user: number; system: number }>();
  if (!postmasterPid) return out;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      if (pid !== postmasterPid && Number(fields[1]) !== postmasterPid) continue;
      const reaped = pid === postmasterPid;
      out.set(pid, {
        user: Number(fields[11]) + (reaped ? Number(fields[13]) : 0),
        system: Number(fields[12]) + (reaped ? Number(fields[14]) : 0),
      });
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/**
 * Where PostgreSQL's CPU went between two postgresProcessTicks readings, in ms per operation,
 * grouped by `label(pid)` (e.g. from pg_stat_activity: pool backends, the LISTEN backend, WAL writer...).
 */
export function postgresBreakdown(
  before: Map<number, { user: number; system: number }>,
  after: Map<number, { user: number; system: number }>,
  label: (pid: number) => string,
  operations: number,
): Array<{ label: string; userMs: number; systemMs: number }> {
  const groups = new Map<string, { userMs: number; systemMs: number }>();
  const toMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND / operations;
  for (const [pid, now] of after) {
    const then = before.get(pid) ?? { user: 0, system: 0 };
    const g = groups.get(label(pid)) ?? { userMs: 0, systemMs: 0 };
    g.userMs += toMs(now.user - then.user);
    g.systemMs += toMs(now.system - then.system);
    groups.set(label(pid), g);
  }
  return [...groups.entries()].map(([l, g]) => ({ label: l, ...g })).sort((a, b) => b.userMs + b.systemMs - (a.userMs + a.systemMs));
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { collectGarbage, heapUsage, InspectorClient, type HeapUsage } from './inspector-client.js';

/**
 * Memory of the local system's processes, read from outside: RSS from the OS, V8 heaps and
 * forced collections over each process's inspector (`--inspect=127.0.0.1:0` in NODE_OPTIONS,
 * which the dynalite child inherits).
 */
export interface ProcessMemory {
  readonly label: string;
  readonly rssBytes: number;
  /** Main thread first, then each worker thread. */
  readonly heaps: readonly HeapUsage[];
}

export interface InspectedProcess {
  readonly pid: number;
  readonly label: string;
  readonly inspector: InspectorClient;
}

/** The inspectors of every process that printed "Debugger listening on ws://…" in `output`. */
export async function inspectProcesses(output: string, label: (pid: number) => string): Promise<InspectedProcess[]> {
  const urls = [...output.matchAll(/Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/g)].map((m) => m[1] as string);
  const processes: InspectedProcess[] = [];
  for (const url of [...new Set(urls)]) {
    const inspector = await InspectorClient.connect(url);
    const pid = await inspector.evaluate<number>('process.pid');
    processes.push({ pid, label: label(pid), inspector });
  }
  // Attach events for the worker threads arrive just after NodeWorker.enable.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return processes;
}

/** Resident set size in bytes: /proc on Linux, else ps (macOS). */
export function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

export async function measure(processes: readonly InspectedProcess[]): Promise<ProcessMemory[]> {
  return Promise.all(processes.map(async (p) => ({
    label: p.label,
    rssBytes: rssOf(p.pid),
    heaps: await Promise.all(p.inspector.isolates().map(heapUsage)),
  })));
}

/** Full collections of every isolate, twice (the first frees what finalizers then release). */
export async function collectAll(processes: readonly InspectedProcess[]): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const p of processes) for (const isolate of p.inspector.isolates()) await collectGarbage(isolate);
  }
  // Let V8 and the allocator hand freed pages back before RSS is read.
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

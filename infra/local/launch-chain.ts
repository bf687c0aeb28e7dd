import { readFileSync } from 'node:fs';

/** A process as /proc shows it: its parent and its start time (a reused pid starts later). */
interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly startTime: string;
}

function readEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined; // exited, not yet reaped
    return { pid, ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** npm (its process title is `npm start`, `npm run start`, …), npx, yarn or pnpm. */
const PACKAGE_MANAGER = /^(\S*\/)?(npm|npx|yarn|pnpm)(\s|$)|\/(npm-cli|npx-cli)\.js(\s|$)/;
const MAX_DEPTH = 8;

/**
 * The processes that launched this one, from its parent up to the package manager that ran
 * the script (`npm start` → sh → tsx → node), or only the parent when none did. None of them
 * forwards a parent's death: killing npm (SIGTERM or SIGKILL) leaves sh or tsx orphaned and
 * this process running. So it watches them all.
 */
function launchChain(): ProcessEntry[] {
  const chain: ProcessEntry[] = [];
  let pid = process.ppid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    const entry = readEntry(pid);
    if (!entry) break;
    chain.push(entry);
    if (PACKAGE_MANAGER.test(commandOf(pid))) return chain;
    pid = entry.ppid;
  }
  return chain.slice(0, 1);
}

/**
 * Calls `onLost` once when a process of the launch chain exits or loses its own parent (it
 * was orphaned): the command that started the system is gone, so the system should go too.
 * Without /proc (not Linux), it watches the direct parent through `process.ppid`. Returns a
 * function that stops watching.
 */
export function watchLaunchChain(onLost: (reason: string) => void, everyMs = 500): () => void {
  const chain = launchChain();
  const initialParent = process.ppid;
  const check = () => {
    if (chain.length === 0) {
      if (process.ppid !== initialParent) return `parent ${initialParent} exited`;
      return undefined;
    }
    for (const [i, watched] of chain.entries()) {
      const now = readEntry(watched.pid);
      if (!now || now.startTime !== watched.startTime) return `launching process ${watched.pid} exited`;
      // The package manager at the top may be re-parented (nohup, a closed terminal); the ones below it may not.
      if (i < chain.length - 1 && now.ppid !== watched.ppid) return `launching process ${watched.pid} was orphaned`;
    }
    return process.ppid === chain[0]!.pid ? undefined : `parent ${chain[0]!.pid} exited`;
  };
  const timer = setInterval(() => {
    const lost = check();
    if (lost) {
      clearInterval(timer);
      onLost(lost);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

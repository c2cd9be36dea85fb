import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on the loopback interface, for servers that need a port number up front. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kills a child process left over by a previous run that died without cleaning up (SIGKILL
 * leaves Java running and holding its database files). The pid is only trusted if the
 * process's command line still contains `marker`.
 */
export function killStaleProcess(pidFile: string, marker: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    if (commandLine(pid)?.includes(marker)) process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already, or not ours to signal.
  }
}

export function rememberPid(pidFile: string, child: ChildProcess): void {
  if (child.pid) writeFileSync(pidFile, String(child.pid));
}

/** Stops a child: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export { spawn };

/**
 * Claims the data folder for this process's cloud: two clouds on one folder would share one
 * database file, and the second's start kills the first's DynamoDB Local (its pid file). A folder
 * held by a living node process is refused, naming it; one whose holder died (a crash, a SIGKILL)
 * is taken over. Answers the release, for the cloud's stop.
 */
export function claimDataDir(dataDir: string): () => void {
  const lock = join(dataDir, 'cloud.pid');
  const mine = String(process.pid);
  try {
    // Created only if absent: of two starts at the same instant, one creates it.
    writeFileSync(lock, mine, { flag: 'wx' });
  } catch {
    const written = readFileSync(lock, 'utf8');
    const holder = Number(written);
    // An empty lock is another start's, caught between creating it and writing its pid.
    if (
      written === '' ||
      (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isLivingNode(holder))
    ) {
      throw new Error(
        `Laurel already runs with its data in ${dataDir} (process ${holder || 'starting'}): stop that one first, or give this one another folder (LAUREL_DATA_DIR). If no Laurel runs there, delete ${lock}.`,
      );
    }
    writeFileSync(lock, mine);
  }
  return () => {
    if (existsSync(lock) && readFileSync(lock, 'utf8') === mine) rmSync(lock, { force: true });
  };
}

/**
 * A process that is running node (a zombie's or another program's pid is not a cloud). Where
 * there is no /proc (macOS), any living process with that pid counts.
 */
function isLivingNode(pid: number): boolean {
  if (!existsSync('/proc/self')) {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  return commandLine(pid)?.includes('node') ?? false;
}

/** What a process runs, as /proc tells it; undefined when it is gone or not ours to see. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

// The watch scripts end with their jobs however they are stopped. On "this computer" with sudo,
// Domus cannot signal the root processes: sudo passes its SIGTERM to the command (the shell) only,
// while Domus closes the shell's stdin — the jobs must still go.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selfEndingScript } from '../../../electron/drivers/xl/driver';
import { alive } from '../../support/process';

/** Alive and not a zombie: a job whose shell died first stays unreaped where no init reaps orphans. */
function running(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
import { until } from '../../support/wait';

function start() {
  const [cmd, ...args] = selfEndingScript(['sleep 300 &', 'echo $!']);
  // Its own process group, as on a host, so its `kill 0` reaches nothing of the test's.
  const child = spawn(cmd, args, { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
  // A moment after the job started, as a stream is stopped long after: a signal in the instant
  // between the job's fork and its exec finds the shell's trap still in place there and is lost.
  const job = new Promise<number>((resolve) =>
    child.stdout!.once('data', (b: Buffer) => setTimeout(() => resolve(Number(b.toString().trim())), 200)),
  );
  return { child, job };
}

describe('selfEndingScript', () => {
  it('a SIGTERM to the shell alone, with its stdin closed, ends its jobs', async () => {
    const { child, job } = start();
    const pid = await job;
    expect(running(pid)).toBe(true);
    child.stdin!.destroy();
    child.kill('SIGTERM');
    try {
      await until('the job ended', () => !running(pid), 5_000, 50);
    } finally {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  });

  it('closing its stdin alone ends its jobs (the connection went away)', async () => {
    const { child, job } = start();
    const pid = await job;
    child.stdin!.end();
    try {
      await until('the job ended', () => !running(pid), 5_000, 50);
    } finally {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  });
});

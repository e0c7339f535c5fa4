// Inventory refresh and event latency on the lab host, each against the plain alternative, in
// one run. The work compared: a fresh `xl list -l` plus one `xentop -b -i 1` sample, with one PV
// guest running — through Domus's open connection, a fresh `ssh host '…'`, OpenSSH connection
// sharing (ControlMaster), and timed inside dom0.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XlDriver } from '../electron/drivers/xl/driver';
import type { Guest } from '../electron/api/guests';
import { LabHost } from '../test/lab/labHost';
import { imagePaths } from '../test/lab/paths';
import { KNOWN_HOSTS } from '../test/lab/vm';
import { connectDomus } from './labConnection';
import { ShellPool } from '../electron/transport/shellPool';
import { median, samples, timeIt } from './stats';

import type { Figures } from './figures';
export type { Figures };

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const WORK = 'xl list -l >/dev/null && xentop -b -i 1 >/dev/null';
const PARALLEL_WORK = 'xl list -l >/dev/null & xentop -b -i 1 >/dev/null; wait';

function sshArgs(port: number, extra: string[] = []): string[] {
  return [
    '-i', imagePaths().key, '-p', String(port), '-o', `UserKnownHostsFile=${KNOWN_HOSTS()}`,
    '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', ...extra, 'root@127.0.0.1',
  ];
}

function runSsh(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ssh exit ${code}: ${err}`))));
  });
}

export async function benchInventory(lab: LabHost, log: (s: string) => void): Promise<Figures> {
  const port = lab.state.port;
  await lab.run(['xl', 'destroy', 'kit-pv']);
  await lab.ok(['xl', 'create', '/root/kit/pv.cfg'], { timeoutMs: 120_000 });
  const ssh = await connectDomus(lab.state);
  // As the app runs it: commands through the pool of long-lived shells on the one connection.
  const domus = new ShellPool(ssh, { size: 3 });
  const ctlDir = mkdtempSync(path.join(tmpdir(), 'domus-bench-cm-'));
  const ctl = ['-o', `ControlPath=${ctlDir}/cm`];
  try {
    // Warm up every path once (page cache in dom0, the master connection).
    await domus.exec(['bash', '-c', WORK]);
    spawnSync('ssh', sshArgs(port, [...ctl, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=120', '-f', '-N']));

    const domusRuns: number[] = [];
    const freshRuns: number[] = [];
    const cmRuns: number[] = [];
    const hostRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Domus: the two commands as Domus runs them, concurrently on its open connection.
      domusRuns.push(await timeIt(() => Promise.all([domus.exec(['xl', 'list', '-l']), domus.exec(['xentop', '-b', '-i', '1'])])));
      freshRuns.push(await timeIt(() => runSsh([...sshArgs(port), WORK])));
      cmRuns.push(await timeIt(() => runSsh([...sshArgs(port, ctl), WORK])));
      // Inside dom0, run the two commands concurrently too, as Domus does: the same work, no transport.
      const r = await domus.exec(['bash', '-c', `s=$(date +%s%N); ${PARALLEL_WORK}; e=$(date +%s%N); echo $(( (e - s) / 1000 ))`]);
      hostRuns.push(Number(r.stdout.trim()) / 1000);
    }
    const host = median(hostRuns);
    const refresh = median(domusRuns);
    log(`inventory: domus ${domusRuns.map(Math.round)} fresh ${freshRuns.map(Math.round)} cm ${cmRuns.map(Math.round)} host ${hostRuns.map(Math.round)}`);

    const events = await benchEvents(domus, lab, log);
    return {
      'inventory.refresh_ms': {
        value: refresh, unit: 'ms',
        vs_host_side: refresh / host, vs_controlmaster: refresh / median(cmRuns), vs_fresh_ssh: refresh / median(freshRuns),
      },
      'inventory.fresh_ssh_ms': { value: median(freshRuns), unit: 'ms' },
      'inventory.controlmaster_ms': { value: median(cmRuns), unit: 'ms' },
      'inventory.host_side_ms': { value: host, unit: 'ms' },
      ...events,
    };
  } finally {
    spawnSync('ssh', sshArgs(port, [...ctl, '-O', 'exit']), { stdio: 'ignore' });
    rmSync(ctlDir, { recursive: true, force: true });
    domus.close();
    ssh.close();
    await lab.run(['xl', 'destroy', 'kit-pv']);
  }
}

/** Resolves with the time (performance.now()) an event of the driver (a delta or a live sample)
 *  shows `test` true for kit-pv. */
function whenGuest(driver: XlDriver, test: (g: Guest | undefined) => boolean, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no event in time')), timeoutMs);
    const on = () => {
      const g = driver.guests().find((x) => x.name === 'kit-pv');
      if (test(g)) {
        clearTimeout(t);
        driver.off('guests', on);
        driver.off('stats', on);
        resolve(performance.now());
      }
    };
    driver.on('guests', on);
    driver.on('stats', on);
  });
}

async function benchEvents(domus: ShellPool, lab: LabHost, log: (s: string) => void): Promise<Figures> {
  const driver = new XlDriver(domus);
  // As while a window shows the host: a pause (no xenstore event) comes with the next sample.
  driver.setWatched(true);
  await driver.start();
  const destroyToEvent: number[] = [];
  const destroyReturns: number[] = [];
  const pauseToEvent: number[] = [];
  try {
    for (let i = 0; i < Math.max(3, Math.floor(RUNS / 2)); i++) {
      if (!driver.guests().some((g) => g.name === 'kit-pv')) {
        const appeared = whenGuest(driver, (g) => !!g && g.state !== 'shut off');
        await lab.ok(['xl', 'create', '/root/kit/pv.cfg'], { timeoutMs: 120_000 });
        await appeared;
      }
      await new Promise((r) => setTimeout(r, 3000));
      // pause: writes nothing to xenstore, so it arrives with the next monitor sample
      const paused = whenGuest(driver, (g) => g?.state === 'paused');
      const p0 = performance.now();
      await lab.ok(['xl', 'pause', 'kit-pv']);
      pauseToEvent.push((await paused) - p0);
      await lab.ok(['xl', 'unpause', 'kit-pv']);
      await new Promise((r) => setTimeout(r, 1500));

      const gone = whenGuest(driver, (g) => !g);
      const t0 = performance.now();
      await lab.ok(['xl', 'destroy', 'kit-pv'], { timeoutMs: 120_000 });
      destroyReturns.push(performance.now() - t0);
      destroyToEvent.push((await gone) - t0);
    }
  } finally {
    driver.stop();
  }
  log(`events: destroy→event ${destroyToEvent.map(Math.round)} destroy returns ${destroyReturns.map(Math.round)} pause→event ${pauseToEvent.map(Math.round)}`);
  return {
    'events.destroy_to_client_ms': { value: median(destroyToEvent), unit: 'ms', vs_destroy_returns: median(destroyToEvent) / median(destroyReturns) },
    'events.destroy_returns_ms': { value: median(destroyReturns), unit: 'ms' },
    'events.pause_to_client_ms': { value: median(pauseToEvent), unit: 'ms' },
  };
}

// Console throughput and keystroke echo on the lab: Domus's stream path (xl console on a pty
// channel of Domus's SSH connection → StreamRegistry with watermarks and acknowledgements → a
// consumer that acknowledges what it took) against `ssh -tt host xl console <guest>` driven by
// this script. The flood: 7.5 MB of urandom as base64 (~10 MB) printed by the guest.
// Note: the consumer here is Node, not xterm.js in Chromium (the lab suite measures that path).
import { spawn } from 'node:child_process';
import { consoleArgv, textConsoleSource } from '../electron/drivers/xl/console';
import { StreamRegistry } from '../electron/streams/registry';
import { LabHost } from '../test/lab/labHost';
import { imagePaths } from '../test/lab/paths';
import { KNOWN_HOSTS } from '../test/lab/vm';
import type { Figures } from './inventory';
import { connectDomus } from './labConnection';
import { median } from './stats';

const GUEST = 'con-bench';
const FLOOD_BYTES = Number(process.env.BENCH_CONSOLE_BYTES ?? 7_500_000);
const ECHOES = 15;

interface Terminalish {
  write(s: string): void;
  /** Resolves when the received text matches re (searched in the tail). */
  waitFor(re: RegExp, timeoutMs: number): Promise<void>;
  received(): number;
  close(): void;
}

function makeWaiter(): { feed(b: Buffer): void; waitFor: Terminalish['waitFor']; received(): number } {
  let tail = '';
  let total = 0;
  let waiter: { re: RegExp; resolve: () => void } | null = null;
  return {
    feed(b) {
      total += b.length;
      tail = (tail + b.toString('latin1')).slice(-8192);
      if (waiter && waiter.re.test(tail)) {
        tail = '';
        const w = waiter;
        waiter = null;
        w.resolve();
      }
    },
    waitFor(re, timeoutMs) {
      return new Promise((resolve, reject) => {
        if (re.test(tail)) {
          tail = '';
          return resolve();
        }
        const timer = setTimeout(() => reject(new Error(`timeout waiting for ${re}`)), timeoutMs);
        waiter = { re, resolve: () => (clearTimeout(timer), resolve()) };
      });
    },
    received: () => total,
  };
}

async function domusConsole(state: LabHost['state']): Promise<Terminalish> {
  const ssh = await connectDomus(state);
  const reg = new StreamRegistry();
  const cmd = await ssh.stream(consoleArgv(GUEST, 'pv'), { pty: { cols: 120, rows: 40 } });
  const { id, token } = reg.create(textConsoleSource(cmd));
  const w = makeWaiter();
  const peer = reg.attach(id, token, {
    data: (frame) => {
      w.feed(frame);
      // Acknowledge after "parsing", asynchronously as the renderer does.
      setImmediate(() => peer.ack(frame.length));
    },
    control: () => {},
    close: () => {},
  });
  return { write: (s) => peer.input(Buffer.from(s)), waitFor: w.waitFor, received: w.received, close: () => (reg.closeAll(), ssh.close()) };
}

function sshConsole(port: number): Terminalish {
  const p = spawn('ssh', ['-tt', '-i', imagePaths().key, '-p', String(port), '-o', `UserKnownHostsFile=${KNOWN_HOSTS()}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', 'root@127.0.0.1', 'xl', 'console', GUEST], { stdio: ['pipe', 'pipe', 'pipe'] });
  const w = makeWaiter();
  p.stdout.on('data', (b: Buffer) => w.feed(b));
  return { write: (s) => p.stdin.write(s), waitFor: w.waitFor, received: w.received, close: () => p.kill() };
}

async function measure(con: Terminalish, log: (s: string) => void, label: string): Promise<{ mbps: number; echoMs: number }> {
  // Reach a prompt.
  for (let i = 0; i < 30; i++) {
    con.write('\r');
    try {
      await con.waitFor(/[/~] # /, 3000);
      break;
    } catch {
      /* again */
    }
  }
  con.write(`head -c ${FLOOD_BYTES} /dev/urandom | base64 > /tmp/b; echo RE""ADY\r`);
  await con.waitFor(/READY\r?\n/, 300_000);
  const before = con.received();
  const t0 = performance.now();
  con.write('cat /tmp/b; echo FL""OOD-END\r');
  await con.waitFor(/FLOOD-END\r?\n/, 600_000);
  const secs = (performance.now() - t0) / 1000;
  const mbps = (con.received() - before) / 1e6 / secs;
  const echoes: number[] = [];
  for (let i = 0; i < ECHOES; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const ch = String.fromCharCode(97 + (i % 26));
    const s = performance.now();
    con.write(ch);
    await con.waitFor(new RegExp(ch), 10_000);
    echoes.push(performance.now() - s);
  }
  con.write('\u0015'); // clear the typed line
  log(`${label}: ${mbps.toFixed(2)} MB/s, echo median ${median(echoes).toFixed(1)} ms`);
  return { mbps, echoMs: median(echoes) };
}

export async function benchConsole(lab: LabHost, log: (s: string) => void): Promise<Figures> {
  await lab.run(['xl', 'destroy', GUEST]);
  await lab.ok(['xl', 'create', '/root/kit/pv.cfg', `name="${GUEST}"`], { timeoutMs: 180_000 });
  try {
    const d = await domusConsole(lab.state);
    const domus = await measure(d, log, 'domus console').finally(() => d.close());
    const s = sshConsole(lab.state.port);
    const ssh = await measure(s, log, 'ssh -tt xl console').finally(() => s.close());
    return {
      'console.throughput_MB_s': { value: domus.mbps, unit: 'MB/s', vs_ssh: domus.mbps / ssh.mbps },
      'console.ssh_throughput_MB_s': { value: ssh.mbps, unit: 'MB/s' },
      'console.echo_ms': { value: domus.echoMs, unit: 'ms', vs_ssh: domus.echoMs / ssh.echoMs },
      'console.ssh_echo_ms': { value: ssh.echoMs, unit: 'ms' },
    };
  } finally {
    await lab.run(['xl', 'destroy', GUEST]);
  }
}

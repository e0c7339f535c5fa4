// Console throughput and keystroke echo on the lab, guest → xterm.js in Chromium: Domus in
// browser mode (xl console on a pty channel of Domus's SSH connection → StreamRegistry with
// watermarks and acknowledgements → WebSocket → xterm.js, acknowledged after xterm parsed each
// frame) against `ssh -tt host xl console <guest>` driven by this script.
// - console.throughput_MB_s: a flood of base64 (BENCH_CONSOLE_BYTES of urandom, default 4 MB →
//   ~5.4 MB of text) from `cat` until its end marker was parsed by xterm (bytes xterm parsed / s);
// - console.echo_ms: median of ECHOES single keys from the keydown in the page until xterm has
//   parsed the guest's echo;
// - console.ssh_*: the same guest, the same file, through `ssh -tt` (bytes / s at ssh's stdout;
//   echo from the write to ssh's stdin until the echo arrives on its stdout).
// Both paths read the same guest console; under the lab's emulation the guest side (the 2 KiB
// console ring, xenconsoled) bounds the throughput of both.
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { startBrowserApp } from '../test/e2e/browserApp';
import { LabHost } from '../test/lab/labHost';
import { imagePaths } from '../test/lab/paths';
import { addLabHost } from '../test/lab/ui';
import { KNOWN_HOSTS } from '../test/lab/vm';
import type { Figures } from './inventory';
import { median } from './stats';

const GUEST = 'con-bench';
const FLOOD_BYTES = Number(process.env.BENCH_CONSOLE_BYTES ?? 4_000_000);
const ECHOES = 15;
const PROMPT = /[/~] # /;

/** A console as the benchmark drives it: type, wait for text, count bytes, time an echo. */
interface Terminalish {
  write(s: string): Promise<void>;
  /** Resolves when the text received since `from` matches re. */
  waitFor(re: RegExp, timeoutMs: number, from?: number): Promise<void>;
  received(): Promise<number>;
  /** ms from the key to its echo, measured where the terminal is. */
  echo(ch: string): Promise<number>;
  close(): Promise<void>;
}

async function poll(test: () => Promise<boolean>, timeoutMs: number, what: string, nudge?: () => Promise<void>): Promise<void> {
  const end = Date.now() + timeoutMs;
  let n = 0;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    if (nudge && ++n % 15 === 0) await nudge();
    await new Promise((r) => setTimeout(r, 100));
  }
}

function sshConsole(port: number): Terminalish {
  const p = spawn(
    'ssh',
    ['-tt', '-i', imagePaths().key, '-p', String(port), '-o', `UserKnownHostsFile=${KNOWN_HOSTS()}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', 'root@127.0.0.1', 'xl', 'console', GUEST],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const chunks: Buffer[] = [];
  let total = 0;
  let onData: ((b: Buffer) => void) | null = null;
  p.stdout.on('data', (b: Buffer) => {
    chunks.push(b);
    total += b.length;
    onData?.(b);
  });
  const textFrom = (from: number) => Buffer.concat(chunks).subarray(from).toString('latin1');
  return {
    write: async (s) => void p.stdin.write(s),
    waitFor: (re, ms, from = 0) => poll(async () => re.test(textFrom(from).slice(-65536)), ms, String(re)),
    received: async () => total,
    echo: (ch) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no echo')), 10_000);
        const t0 = performance.now();
        onData = (b) => {
          if (b.includes(ch)) {
            onData = null;
            clearTimeout(timer);
            resolve(performance.now() - t0);
          }
        };
        p.stdin.write(ch);
      }),
    close: async () => void p.kill(),
  };
}

/** The page side: every byte xterm parsed (the console's test tap) and the time of the last key. */
async function installTap(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __domusConsoleTap: (g: string, b: Uint8Array) => void;
      __bench: { bytes: number; tail: string; keyAt: number; echoAt: number; want: string };
    };
    const dec = new TextDecoder();
    w.__bench = { bytes: 0, tail: '', keyAt: 0, echoAt: 0, want: '' };
    document.addEventListener('keydown', () => (w.__bench.keyAt = performance.now()), true);
    w.__domusConsoleTap = (_g, b) => {
      const s = w.__bench;
      s.bytes += b.length;
      const text = dec.decode(b.length > 65536 ? b.subarray(b.length - 65536) : b);
      s.tail = (s.tail + text).slice(-65536);
      if (s.want && !s.echoAt && text.includes(s.want)) s.echoAt = performance.now();
    };
  });
}

async function domusConsole(lab: LabHost): Promise<Terminalish> {
  const app = await startBrowserApp();
  const { page } = app;
  await addLabHost(page, lab);
  await installTap(page);
  await page.getByRole('tab', { name: 'Consoles' }).click();
  await page.getByRole('button', { name: `Open the text console of ${GUEST}` }).click({ timeout: 60_000 });
  await page.locator(`[data-console-guest="${GUEST}"][data-console-phase="open"]`).waitFor({ timeout: 60_000 });
  const term = page.getByRole('application', { name: `Text console of ${GUEST}` });
  await term.click();
  type B = { bytes: number; tail: string; echoAt: number; keyAt: number; want: string };
  const bench = () => page.evaluate(() => (window as unknown as { __bench: B }).__bench);
  return {
    // Ctrl-U (clear the typed line) is a key press; everything else is typed.
    write: (s) => (s === '\u0015' ? page.keyboard.press('Control+U') : page.keyboard.type(s.replace(/\r/g, '\n'))),
    // The tail is reset at each wait's start (`from` is only meaningful for the ssh side).
    waitFor: async (re, ms) => {
      await poll(async () => re.test((await bench()).tail), ms, String(re));
      await page.evaluate(() => ((window as unknown as { __bench: B }).__bench.tail = ''));
    },
    received: async () => (await bench()).bytes,
    echo: async (ch) => {
      await page.evaluate((c) => Object.assign((window as unknown as { __bench: B }).__bench, { want: c, echoAt: 0, keyAt: 0 }), ch);
      await page.keyboard.press(ch);
      await poll(async () => (await bench()).echoAt > 0, 10_000, `echo of ${ch}`);
      const b = await bench();
      return b.echoAt - b.keyAt;
    },
    close: () => app.close(),
  };
}

async function measure(con: Terminalish, log: (s: string) => void, label: string): Promise<{ mbps: number; echoMs: number }> {
  // Reach a prompt.
  for (let i = 0; i < 30; i++) {
    await con.write('\r');
    try {
      await con.waitFor(PROMPT, 3000, Math.max(0, (await con.received()) - 4096));
      break;
    } catch {
      /* again */
    }
  }
  let from = await con.received();
  await con.write(`[ -s /tmp/b ] || head -c ${FLOOD_BYTES} /dev/urandom | base64 > /tmp/b; echo RE""ADY\r`);
  await con.waitFor(/READY\r?\n/, 300_000, from);
  from = await con.received();
  const t0 = performance.now();
  await con.write('cat /tmp/b; echo FL""OOD-END\r');
  await con.waitFor(/FLOOD-END\r?\n/, 1_200_000, from);
  const secs = (performance.now() - t0) / 1000;
  const mbps = ((await con.received()) - from) / 1e6 / secs;
  const echoes: number[] = [];
  for (let i = 0; i < ECHOES; i++) {
    await new Promise((r) => setTimeout(r, 100));
    echoes.push(await con.echo(String.fromCharCode(97 + (i % 26))));
  }
  await con.write('\u0015'); // clear the typed line
  log(`${label}: ${mbps.toFixed(3)} MB/s, echo median ${median(echoes).toFixed(1)} ms (${echoes.map((e) => e.toFixed(0)).join(' ')})`);
  return { mbps, echoMs: median(echoes) };
}

export async function benchConsole(lab: LabHost, log: (s: string) => void): Promise<Figures> {
  await lab.run(['xl', 'destroy', GUEST]);
  await lab.ok(['xl', 'create', '/root/kit/pv.cfg', `name="${GUEST}"`], { timeoutMs: 180_000 });
  try {
    const s = sshConsole(lab.state.port);
    const ssh = await measure(s, log, 'ssh -tt xl console').finally(() => s.close());
    const d = await domusConsole(lab);
    const domus = await measure(d, log, 'domus console (xterm.js in Chromium)').finally(() => d.close());
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

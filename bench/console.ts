// Console throughput and keystroke echo on the lab, guest → xterm.js in Chromium: Domus in
// browser mode (xl console on a pty channel of Domus's SSH connection → StreamRegistry with
// watermarks and acknowledgements → WebSocket → xterm.js, acknowledged after xterm parsed each
// frame) against `ssh -tt host xl console <guest>` driven by this script.
// - console.throughput_MB_s: a flood of base64 (BENCH_CONSOLE_BYTES of urandom, default 4 MB →
//   ~5.4 MB of text) from `cat` until its end marker was parsed by xterm (bytes xterm parsed / s);
// - console.echo_ms: single keys from the keydown in the page until xterm has parsed the guest's
//   echo, with the legs of the path (EchoLegs) on one clock;
// - console.ssh_*: the same guest, the same file, through `ssh -tt` (bytes / s at ssh's stdout;
//   echo from the write to ssh's stdin until the echo arrives on its stdout).
// Both paths read the same guest console; under the lab's emulation the guest side (the 2 KiB
// console ring, xenconsoled) bounds the throughput of both. The lab's guest shares this machine's
// cores with Chromium, which a real host does not: Domus's page stays open (its console closed)
// while ssh is measured, and the echoes alternate in rounds (ssh, Domus, ssh, …) so that drift in
// the machine's load falls on both alike.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SshConnection } from '../electron/transport/ssh';
import { startBrowserApp } from '../test/e2e/browserApp';
import { LabHost } from '../test/lab/labHost';
import { imagePaths } from '../test/lab/paths';
import { addLabHost } from '../test/lab/ui';
import { KNOWN_HOSTS } from '../test/lab/vm';
import { fromSamples, type Figures } from './figures';
import { median } from './stats';

/** Two identical guests: while one is read through Domus the other is read through ssh -tt. */
const GUESTS = ['con-bench-a', 'con-bench-b'] as const;
const FLOOD_BYTES = Number(process.env.BENCH_CONSOLE_BYTES ?? 4_000_000);
const ECHOES = Number(process.env.BENCH_ECHOES ?? 15);
const ROUNDS = 4;
const PROMPT = /[/~] # /;

/** A console as the benchmark drives it: type, wait for text, count bytes, time an echo. */
interface Terminalish {
  /** Opens the console (and waits until it is attached). */
  open(): Promise<void>;
  write(s: string): Promise<void>;
  /** Resolves when the text received since `from` matches re. */
  waitFor(re: RegExp, timeoutMs: number, from?: number): Promise<void>;
  received(): Promise<number>;
  /** ms from the key to its echo, measured where the terminal is. */
  echo(ch: string): Promise<number>;
  /** Closes the console (xenconsole allows one reader at a time). */
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

function sshConsole(port: number, guest: string): Terminalish {
  let p: ChildProcessWithoutNullStreams | null = null;
  let chunks: Buffer[] = [];
  let total = 0;
  let onData: ((b: Buffer) => void) | null = null;
  const textFrom = (from: number) => Buffer.concat(chunks).subarray(from).toString('latin1');
  const proc = () => {
    if (!p) throw new Error('the ssh console is not open');
    return p;
  };
  return {
    open: async () => {
      chunks = [];
      total = 0;
      p = spawn('ssh', [
        '-tt', '-i', imagePaths().key, '-p', String(port), '-o', `UserKnownHostsFile=${KNOWN_HOSTS()}`, '-o', 'StrictHostKeyChecking=yes',
        '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', 'root@127.0.0.1', 'xl', 'console', guest,
      ]);
      p.stdout.on('data', (b: Buffer) => {
        chunks.push(b);
        total += b.length;
        onData?.(b);
      });
    },
    write: async (s) => void proc().stdin.write(s),
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
        proc().stdin.write(ch);
      }),
    close: async () => {
      const q = proc();
      p = null;
      const exited = new Promise((r) => q.once('exit', r));
      q.kill();
      await exited;
    },
  };
}

/**
 * The page side: every byte xterm parsed (the console's test tap), and for the key being timed
 * its keydown, the stream socket's send of it, the arrival of its echo and xterm's parse of it,
 * as wall time (timeOrigin + now: the same clock as this process's, to a fraction of a ms).
 * Plain text: tsx's helpers (__name) do not exist in the page.
 */
const PAGE_TAP = `(() => {
  const dec = new TextDecoder();
  const now = function () { return performance.timeOrigin + performance.now(); };
  const b = (window.__bench = { bytes: 0, tail: '', want: '', keyAt: 0, sendAt: 0, arriveAt: 0, echoAt: 0 });
  document.addEventListener('keydown', function () { b.keyAt = now(); }, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (d) {
    if (b.want && !b.sendAt && d instanceof Uint8Array && dec.decode(d).includes(b.want)) b.sendAt = now();
    return send.call(this, d);
  };
  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get: onmessage.get,
    set: function (fn) {
      onmessage.set.call(this, fn && function (ev) {
        if (b.want && !b.arriveAt && ev.data instanceof ArrayBuffer && dec.decode(ev.data).includes(b.want)) b.arriveAt = now();
        return fn.call(this, ev);
      });
    },
  });
  window.__domusConsoleTap = function (_g, bytes) {
    b.bytes += bytes.length;
    const text = dec.decode(bytes.length > 65536 ? bytes.subarray(bytes.length - 65536) : bytes);
    b.tail = (b.tail + text).slice(-65536);
    if (b.want && !b.echoAt && text.includes(b.want)) {
      b.echoAt = now();
      if (b.onEcho) b.onEcho();
    }
  };
})()`;

/**
 * This process's side: when Domus's SSH connection writes the timed key into the console's
 * channel, and when the channel's data brings its echo back.
 */
function tapConsoleChannels(): { want: string; wroteAt: number; backAt: number; restore(): void } {
  const t = { want: '', wroteAt: 0, backAt: 0, restore: () => void (SshConnection.prototype.stream = stream) };
  const now = () => performance.timeOrigin + performance.now();
  const stream = SshConnection.prototype.stream;
  SshConnection.prototype.stream = async function (this: SshConnection, argv, opts) {
    const s = await stream.call(this, argv, opts);
    if (!argv.includes('console')) return s;
    const write = s.stdin.write.bind(s.stdin) as (c: unknown, ...rest: unknown[]) => boolean;
    s.stdin.write = ((c: unknown, ...rest: unknown[]) => {
      if (t.want && !t.wroteAt && Buffer.isBuffer(c) && c.includes(t.want)) t.wroteAt = now();
      return write(c, ...rest);
    }) as typeof s.stdin.write;
    s.stdout.on('data', (d: Buffer) => {
      if (t.want && t.wroteAt && !t.backAt && d.includes(t.want)) t.backAt = now();
    });
    return s;
  };
  return t;
}

/** The legs of one echo through Domus, in ms. */
export interface EchoLegs {
  /** keydown → the stream socket's send (xterm.js, the stream client). */
  page_in: number;
  /** the socket's send → the write into the SSH channel (WebSocket, server, registry). */
  server_in: number;
  /** the write into the channel → the echo back from it (ssh2, sshd, xenconsole, the guest). */
  host: number;
  /** the echo from the channel → its arrival in the page (flow control, WebSocket). */
  server_out: number;
  /** arrival → parsed by xterm.js. */
  page_out: number;
}

/** Domus in Chromium with the lab host added, on its Consoles tab; `dispose` ends it all. */
async function startDomus(lab: LabHost, legs: EchoLegs[]): Promise<{ console(guest: string): Terminalish; dispose(): Promise<void> }> {
  const node = tapConsoleChannels();
  const app = await startBrowserApp();
  const { page } = app;
  await addLabHost(page, lab);
  await page.evaluate(PAGE_TAP);
  await page.getByRole('tab', { name: 'Consoles' }).click();
  type B = { bytes: number; tail: string; want: string; keyAt: number; sendAt: number; arriveAt: number; echoAt: number };
  const bench = () => page.evaluate('window.__bench') as Promise<B>;
  const dispose = async () => {
    node.restore();
    await app.close();
  };
  const consoleOf = (guest: string): Terminalish => {
    const attached = page.locator(`[data-console-guest="${guest}"][data-console-phase="open"]`);
    return {
      open: async () => {
        await page.getByRole('button', { name: `Open the text console of ${guest}` }).click({ timeout: 60_000 });
        await attached.waitFor({ timeout: 60_000 });
        await page.getByRole('application', { name: `Text console of ${guest}` }).click();
      },
      // Ctrl-U (clear the typed line) is a key press; everything else is typed.
      write: (s) => (s === '\u0015' ? page.keyboard.press('Control+U') : page.keyboard.type(s.replace(/\r/g, '\n'))),
      // The tail is reset at each wait's start (`from` is only meaningful for the ssh side).
      waitFor: async (re, ms) => {
        await poll(async () => re.test((await bench()).tail), ms, String(re));
        await page.evaluate("window.__bench.tail = ''");
      },
      received: async () => (await bench()).bytes,
      echo: async (ch) => {
        // The harness stays quiet while the key travels: one evaluate that resolves at the echo,
        // and the key's release after it (a user's key release costs no CDP round trip, but here
        // the harness shares the two cores with the lab's guest that has to echo).
        await page.evaluate(`Object.assign(window.__bench, { want: ${JSON.stringify(ch)}, keyAt: 0, sendAt: 0, arriveAt: 0, echoAt: 0, onEcho: null })`);
        const seen = page.evaluate(`new Promise((resolve) => {
          if (window.__bench.echoAt) resolve();
          else window.__bench.onEcho = resolve;
        })`);
        Object.assign(node, { want: ch, wroteAt: 0, backAt: 0 });
        await page.keyboard.down(ch);
        await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error(`no echo of ${ch}`)), 10_000))]);
        await page.keyboard.up(ch);
        const b = await bench();
        legs.push({
          page_in: b.sendAt - b.keyAt,
          server_in: node.wroteAt - b.sendAt,
          host: node.backAt - node.wroteAt,
          server_out: b.arriveAt - node.backAt,
          page_out: b.echoAt - b.arriveAt,
        });
        return b.echoAt - b.keyAt;
      },
      close: async () => {
        await page.getByRole('button', { name: `Close the console of ${guest}` }).click();
        await attached.waitFor({ state: 'detached' });
        // Its channel closes on the host a moment later; the next reader must find the lock free.
        await new Promise((r) => setTimeout(r, 1000));
      },
    };
  };
  return { console: consoleOf, dispose };
}

async function reachPrompt(con: Terminalish): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await con.write('\r');
    try {
      await con.waitFor(PROMPT, 3000, Math.max(0, (await con.received()) - 4096));
      return;
    } catch {
      /* again */
    }
  }
  throw new Error('no shell prompt on the guest console');
}

/** MB/s of `cat` of a file of base64 until its end marker arrived. */
async function flood(con: Terminalish): Promise<number> {
  await con.open();
  try {
    await reachPrompt(con);
    let from = await con.received();
    await con.write(`[ -s /tmp/b ] || head -c ${FLOOD_BYTES} /dev/urandom | base64 > /tmp/b; echo RE""ADY\r`);
    await con.waitFor(/READY\r?\n/, 300_000, from);
    from = await con.received();
    const t0 = performance.now();
    await con.write('cat /tmp/b; echo FL""OOD-END\r');
    await con.waitFor(/FLOOD-END\r?\n/, 1_200_000, from);
    const secs = (performance.now() - t0) / 1000;
    return ((await con.received()) - from) / 1e6 / secs;
  } finally {
    await con.close();
  }
}

/** Alternating single keys, one on each console (both open), so both see the same moment. */
async function echoPairs(ssh: Terminalish, domus: Terminalish, n: number, out: { ssh: number[]; domus: number[] }): Promise<void> {
  await Promise.all([ssh.open(), domus.open()]);
  try {
    await reachPrompt(ssh);
    await reachPrompt(domus);
    for (let i = 0; i < n; i++) {
      const ch = String.fromCharCode(97 + (i % 26));
      await new Promise((r) => setTimeout(r, 100));
      out.ssh.push(await ssh.echo(ch));
      await new Promise((r) => setTimeout(r, 100));
      out.domus.push(await domus.echo(ch));
    }
    await ssh.write('\u0015'); // clear the typed lines
    await domus.write('\u0015');
  } finally {
    await Promise.all([ssh.close(), domus.close()]);
  }
}

export async function benchConsole(lab: LabHost, log: (s: string) => void): Promise<Figures> {
  const [a, b] = GUESTS;
  for (const g of GUESTS) await lab.run(['xl', 'destroy', g]);
  for (const g of GUESTS) await lab.ok(['xl', 'create', '/root/kit/pv.cfg', `name="${g}"`], { timeoutMs: 180_000 });
  const legs: EchoLegs[] = [];
  const domus = await startDomus(lab, legs);
  try {
    const sshMBps = await flood(sshConsole(lab.state.port, a));
    const domusMBps = await flood(domus.console(a));
    log(`console flood: ssh -tt ${sshMBps.toFixed(3)} MB/s, Domus ${domusMBps.toFixed(3)} MB/s`);
    const echoes = { ssh: [] as number[], domus: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // The guests swap roles each round, so neither path always has the same guest.
      const [viaSsh, viaDomus] = round % 2 ? [b, a] : [a, b];
      await echoPairs(sshConsole(lab.state.port, viaSsh), domus.console(viaDomus), ECHOES, echoes);
      log(`console echo round ${round + 1}/${ROUNDS}: ssh -tt ${median(echoes.ssh.slice(-ECHOES)).toFixed(1)} ms, Domus ${median(echoes.domus.slice(-ECHOES)).toFixed(1)} ms`);
    }
    const leg = (k: keyof EchoLegs) => median(legs.map((l) => l[k]));
    const legNames = Object.keys(legs[0]!) as (keyof EchoLegs)[];
    log(`Domus echo legs (median ms): ${legNames.map((k) => `${k} ${leg(k).toFixed(2)}`).join(', ')}`);
    const echo = fromSamples(echoes.domus, 'ms');
    const sshEcho = fromSamples(echoes.ssh, 'ms');
    return {
      'console.throughput_MB_s': { value: domusMBps, unit: 'MB/s', vs_ssh: domusMBps / sshMBps },
      'console.ssh_throughput_MB_s': { value: sshMBps, unit: 'MB/s' },
      'console.echo_ms': { ...echo, vs_ssh: echo.value / sshEcho.value, ...Object.fromEntries(legNames.map((k) => [`leg_${k}_ms`, leg(k)])) },
      'console.ssh_echo_ms': sshEcho,
    };
  } finally {
    await domus.dispose();
    for (const g of GUESTS) await lab.run(['xl', 'destroy', g]);
  }
}

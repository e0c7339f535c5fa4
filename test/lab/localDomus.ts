// Domus running on the lab's dom0 itself ("this computer"), for the `lab: local …` phase: the
// backend bundle (tools/bundle-serve.mjs) and the built renderer, with this machine's own Node
// runtime (dom0 is Debian 12 like this machine; Debian 12's nodejs is too old), copied into dom0;
// browser mode started there on dom0's loopback, as root or as a user with a sudo rule, and
// reached from this machine through an SSH port forward, with Chromium driving it.
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ClientChannel } from 'ssh2';
import type { Browser, Page } from 'playwright-core';
import { ensureRendererBuilt, launchChromium } from '../e2e/browserApp';
import type { LabHost } from './labHost';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const REMOTE_DIR = '/opt/domus-lo';
const REMOTE_NODE = `${REMOTE_DIR}/node`;
const REMOTE_BUNDLE = `${REMOTE_DIR}/serve/domus-serve.mjs`;

/** Builds what is missing here and copies it into dom0 (the Node runtime only when it changed). */
export async function installDomus(lab: LabHost): Promise<void> {
  ensureRendererBuilt();
  execFileSync(process.execPath, [path.join(ROOT, 'tools', 'bundle-serve.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const node = process.execPath;
  const st = statSync(node);
  const stamp = `${process.version} ${st.size} ${st.mtimeMs}`;
  await lab.ok(['install', '-d', '-m', '755', REMOTE_DIR]);
  const have = await lab.run(['cat', `${REMOTE_DIR}/node.stamp`]);
  if (have.stdout.trim() !== stamp) {
    const r = await lab.send(['sh', '-c', 'cat > "$1.part" && chmod 755 "$1.part" && mv "$1.part" "$1"', 'sh', REMOTE_NODE], createReadStream(node));
    if (r.code !== 0) throw new Error(`Copying Node into dom0 failed: ${r.stderr}`);
    await lab.ok(['sh', '-c', 'printf "%s\\n" "$1" > "$2"', 'sh', stamp, `${REMOTE_DIR}/node.stamp`]);
  }
  const ver = (await lab.run([REMOTE_NODE, '--version'])).stdout.trim();
  if (ver !== process.version) throw new Error(`Node does not run in dom0 (got "${ver}").`);
  // The app: out/serve and out/renderer, the layout the bundle expects.
  await lab.ok(['rm', '-rf', `${REMOTE_DIR}/serve`, `${REMOTE_DIR}/renderer`]);
  const tar = spawn('tar', ['-C', path.join(ROOT, 'out'), '-cf', '-', 'serve', 'renderer'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const r = await lab.send(['tar', '--no-same-owner', '-C', REMOTE_DIR, '-xf', '-'], tar.stdout!);
  if (r.code !== 0) throw new Error(`Copying Domus into dom0 failed: ${r.stderr}`);
  await lab.ok(['chmod', '-R', 'a+rX', REMOTE_DIR]);
}

export async function removeDomus(lab: LabHost): Promise<void> {
  await lab.run(['rm', '-rf', REMOTE_DIR]);
}

/** A free port on this machine's loopback (dom0's own loopback has the same one free, as it is quiet). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalDomus {
  /** The Domus process in dom0. */
  pid: number;
  user: string;
  page: Page;
  /** Everything Domus printed (stdout and stderr). */
  output(): string;
  /** The pids of Domus and every process below it in dom0 now. */
  processTree(): Promise<{ pid: number; args: string }[]>;
  /** Stops Domus the way a person does (SIGTERM, as Ctrl+C's SIGINT), and waits for it to exit. */
  stop(): Promise<{ code: number | null }>;
  /** Closes the browser and the forward (after stop()). */
  close(): Promise<void>;
}

/**
 * Starts browser mode in dom0 as `user` (root, or a user whose sudo rule Domus uses) on a port
 * that is the same here and in dom0: the page's Host and Origin are checked against the port the
 * server listens on, so the forward keeps it.
 */
export async function startLocalDomus(lab: LabHost, user = 'root'): Promise<LocalDomus> {
  const port = await freePort();
  const configDir = `/tmp/domus-lo-config-${user}`;
  await lab.ok(['rm', '-rf', configDir]);
  const line = ['echo $$; exec env DOMUS_CONFIG_DIR="$1" "$2" "$3" --port "$4"', 'sh', configDir, REMOTE_NODE, REMOTE_BUNDLE, String(port)];
  const argv = user === 'root' ? ['sh', '-c', ...line] : ['runuser', '-u', user, '--', 'sh', '-c', ...line];
  const ch: ClientChannel = await lab.start(argv);
  let out = '';
  let exitCode: number | null = null;
  let ended = false;
  const exited = new Promise<void>((resolve) => {
    ch.on('exit', (c: number | null) => (exitCode = c));
    ch.on('close', () => {
      ended = true;
      resolve();
    });
  });
  ch.on('data', (d: Buffer) => (out += d.toString('utf8')));
  ch.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  ch.end();
  const end = Date.now() + 180_000;
  let url = '';
  while (!url) {
    url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out)?.[0] ?? '';
    if (ended) throw new Error(`Domus stopped in dom0 before it printed its link: ${out}`);
    if (Date.now() > end) throw new Error(`Domus printed no link in dom0 within 180 s: ${out}`);
    if (!url) await new Promise((r) => setTimeout(r, 200));
  }
  const pid = Number(out.split('\n')[0]);

  // The forward: this machine's 127.0.0.1:port to dom0's 127.0.0.1:port.
  const sockets = new Set<net.Socket>();
  const forward = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    lab.forward(port).then(
      (chan) => {
        sock.pipe(chan).pipe(sock);
        sock.on('error', () => chan.close());
        chan.on('error', () => sock.destroy());
      },
      () => sock.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    forward.once('error', reject);
    forward.listen(port, '127.0.0.1', () => resolve());
  });

  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(url, { timeout: 120_000 });
    return {
      pid,
      user,
      page,
      output: () => out,
      processTree: () => processTree(lab, pid),
      async stop() {
        if (!ended) await lab.run(['kill', '-TERM', String(pid)]);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
        if (!ended) throw new Error(`Domus did not exit within 60 s of SIGTERM: ${out.slice(-500)}`);
        return { code: exitCode };
      },
      async close() {
        await browser?.close();
        for (const s of sockets) s.destroy();
        await new Promise<void>((r) => forward.close(() => r()));
        if (!ended) {
          await lab.run(['kill', '-KILL', String(pid)]);
          ch.close();
        }
        await lab.run(['rm', '-rf', configDir]);
      },
    };
  } catch (err) {
    await browser?.close();
    forward.close();
    await lab.run(['kill', '-KILL', String(pid)]);
    throw err;
  }
}

/** A process and everything below it (children, their children …) in dom0, from ps. */
export async function processTree(lab: LabHost, root: number): Promise<{ pid: number; args: string }[]> {
  const rows = (await lab.ok(['ps', '-eo', 'pid=,ppid=,args='])).split('\n').flatMap((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }] : [];
  });
  const out: { pid: number; args: string }[] = [];
  const want = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) {
      if ((want.has(r.ppid) || r.pid === root) && !out.some((o) => o.pid === r.pid)) {
        out.push({ pid: r.pid, args: r.args });
        want.add(r.pid);
        grew = true;
      }
    }
  }
  return out;
}

/** Which of these processes still run in dom0. */
export async function stillRunning(lab: LabHost, procs: { pid: number; args: string }[]): Promise<{ pid: number; args: string }[]> {
  const now = (await lab.ok(['ps', '-eo', 'pid=,args='])).split('\n').flatMap((l) => {
    const m = /^\s*(\d+)\s+(.*)$/.exec(l);
    return m ? [{ pid: Number(m[1]), args: m[2]! }] : [];
  });
  // Same pid and same command line: a pid reused by something else does not count.
  return procs.filter((p) => now.some((n) => n.pid === p.pid && n.args === p.args));
}


// `serve-cli --open` with a real browser: the one-time token never shows in any process's
// arguments or environment (another local user can read /proc/<pid>/cmdline and spend it
// first), and the browser Domus starts does not inherit DOMUS_SECRET_PASSPHRASE. A watcher polls
// /proc/*/cmdline and /proc/*/environ of every process during the launch. The "default browser"
// is a stand-in xdg-open, first on PATH, that runs Debian's Chromium headless on what it is given.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../e2e/browserApp';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASS = `hs-passphrase-${process.pid}-${Date.now()}`;
const CLI_ARGS = ['--import', 'tsx', 'electron/serve-cli.ts', '--open'];

interface Seen {
  pid: number;
  what: 'cmdline' | 'environ';
  text: string;
}

/** Every distinct cmdline and environ any process shows while it runs. */
function watchProcessTable() {
  const seen = new Map<string, Seen>();
  let stopped = false;
  let scans = 0;
  const loop = (async () => {
    while (!stopped) {
      for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        for (const what of ['cmdline', 'environ'] as const) {
          try {
            const text = readFileSync(`/proc/${name}/${what}`, 'latin1');
            const k = `${name}\0${what}\0${text}`;
            if (!seen.has(k)) seen.set(k, { pid: Number(name), what, text });
          } catch {
            // Gone already, or another user's environ.
          }
        }
      }
      scans++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    seen: () => [...seen.values()],
    scans: () => scans,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

const work = mkdtempSync(path.join(tmpdir(), 'domus-cli-'));
let cli: ChildProcess | undefined;

afterAll(async () => {
  if (cli && cli.exitCode === null && cli.signalCode === null) {
    const exited = new Promise((r) => cli!.once('exit', r));
    cli.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

describe('serve-cli --open', () => {
  it('never shows the token in a process table; the browser does not inherit the passphrase', { timeout: 90_000 }, async () => {
    ensureRendererBuilt();
    const bin = path.join(work, 'bin');
    const profile = path.join(work, 'hs-profile');
    const dom = path.join(work, 'dom.html');
    const modes = path.join(work, 'modes.txt');
    mkdirSync(bin);
    // Records how private the thing it was given is, then opens it like a browser would.
    writeFileSync(
      path.join(bin, 'xdg-open'),
      `#!/bin/sh
if [ -e "$1" ]; then stat -c '%a' "$1" "$(dirname "$1")" > '${modes}'; fi
exec timeout 60 '${CHROMIUM}' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \\
  --disable-background-networking --disable-component-update --disable-sync \\
  --user-data-dir='${profile}' --virtual-time-budget=8000 --dump-dom "$1" > '${dom}.part' 2>/dev/null
`,
    );
    chmodSync(path.join(bin, 'xdg-open'), 0o755);

    const watcher = watchProcessTable();
    let stdout = '';
    let stderr = '';
    cli = spawn(process.execPath, CLI_ARGS, {
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        DOMUS_CONFIG_DIR: path.join(work, 'config'),
        DOMUS_SECRET_PASSPHRASE: PASS,
        TSX_DISABLE_CACHE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cli.stdout!.on('data', (c) => (stdout += String(c)));
    cli.stderr!.on('data', (c) => (stderr += String(c)));

    // The stand-in browser is done when Chromium has exited (it wrote the page it ended on) and
    // Domus has said the sign-in happened. The page file is created before Chromium starts, so
    // the watcher must have seen a browser process first: under load its next scan can come
    // after the file appears (the test then stopped watching before the launch).
    const deadline = Date.now() + 60_000;
    const browser = () => watcher.seen().filter((s) => s.what === 'cmdline' && s.text.includes(profile));
    const chromiumGone = () =>
      existsSync(`${dom}.part`) &&
      stderr.includes('a browser signed in') &&
      browser().length > 0 &&
      !browser().some((s) => existsSync(`/proc/${s.pid}`));
    while (!chromiumGone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 200));
    await watcher.stop();

    const token = /\?token=([A-Za-z0-9_-]{43})/.exec(stdout)?.[1];
    expect(token, `serve-cli printed: ${stdout}\n${stderr}`).toBeDefined();
    const seen = watcher.seen();
    // The watcher did watch the launch: it saw the browser's processes.
    const browserPids = new Set(seen.filter((s) => s.what === 'cmdline' && s.text.includes(profile)).map((s) => s.pid));
    expect(browserPids.size, `scans: ${watcher.scans()}`).toBeGreaterThan(0);
    expect(seen.filter((s) => s.what === 'environ' && browserPids.has(s.pid)).length).toBeGreaterThan(0);

    const leaks = seen.filter((s) => s.text.includes(token!)).map((s) => `${s.pid} ${s.what}: ${s.text.replaceAll('\0', ' ').slice(0, 300)}`);
    expect.soft(leaks).toEqual([]);
    const cmdline = (pid: number) => seen.find((s) => s.pid === pid && s.what === 'cmdline')?.text.replaceAll('\0', ' ') ?? '?';
    const passLeaks = seen
      // The CLI itself was given it (its /proc environ is a copy made at exec), and so was tsx's
      // compiler (esbuild), which the loader runs before any of serve-cli's code can. A child the
      // CLI forks shows the CLI's own command line and environ until its exec (the scan catches
      // that moment now and then); what it runs after the exec is what must not have it.
      .filter((s) => s.what === 'environ' && s.text.includes(PASS) && s.pid !== cli!.pid && !/\besbuild\b/.test(cmdline(s.pid)))
      .filter((s) => cmdline(s.pid).trim() !== [process.execPath, ...CLI_ARGS].join(' '))
      .map((s) => `${s.pid} (${cmdline(s.pid)})`);
    expect.soft(passLeaks, `serve-cli is ${cli!.pid}`).toEqual([]);

    // The browser got a file only this user can read, in a directory only this user can enter…
    expect(readFileSync(modes, 'utf8').trim().split('\n')).toEqual(['600', '700']);
    // …it signed in and the app loaded (the cookie went along), Domus said so and removed the file.
    expect(stderr).toContain('a browser signed in with the link');
    const page = readFileSync(`${dom}.part`, 'utf8');
    expect(page).not.toContain('Open the link that');
    expect(page).toContain('id="root"');
    const launcher = seen
      .filter((s) => s.what === 'cmdline' && browserPids.has(s.pid))
      .flatMap((s) => s.text.split('\0'))
      .find((arg) => arg.endsWith('open-domus.html'));
    expect(launcher).toBeDefined();
    expect(existsSync(launcher!)).toBe(false);
  });
});

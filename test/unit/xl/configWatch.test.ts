// On a host watched through xentop (no monitor script), a config written in a shell (no xenstore
// event) still reaches the inventory: the watch script prints "configs" when a file in the config
// directory is added, rewritten, renamed or removed, through inotifywait where the host has it and
// a stat comparison where it does not.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configWatch, selfEndingScript } from '../../../electron/drivers/xl/driver';
import { tempDir } from '../../support/sshd';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** The watch on a fresh directory; `withInotify: false` hides inotifywait from its PATH. */
async function watch(withInotify: boolean) {
  const dir = await tempDir();
  cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'bin');
  await fs.mkdir(bin);
  // Only what the script needs, so inotifywait is found or not as the test says.
  for (const tool of ['sh', 'cat', 'stat', 'sleep', ...(withInotify ? ['inotifywait'] : [])]) {
    const found = ['/usr/bin', '/bin'].map((d) => path.join(d, tool));
    for (const f of found) if (await fs.access(f).then(() => true, () => false)) { await fs.symlink(f, path.join(bin, tool)); break; }
  }
  const cfgDir = path.join(dir, 'xen');
  await fs.mkdir(cfgDir);
  await fs.writeFile(path.join(cfgDir, 'a.cfg'), 'name = "a"\n');
  // The stat loop every second here (3 s on a host), so the test does not wait on it.
  const [cmd, ...args] = selfEndingScript(configWatch(cfgDir, 1));
  const child: ChildProcess = spawn(cmd, args, { env: { PATH: bin }, detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
  cleanup.push(() => { child.stdin!.end(); });
  let seen = 0;
  // Whole lines only: one write can give several events, and a chunk can end inside a line.
  let partial = '';
  child.stdout!.on('data', (b: Buffer) => {
    const lines = (partial + b.toString()).split('\n');
    partial = lines.pop() ?? '';
    seen += lines.filter((l) => l === 'configs').length;
  });
  /** Does `change`, then waits for a "configs" line (counted from before the change: the event
   *  can arrive before the write's promise settles). */
  const next = async (what: string, change: () => Promise<void>) => {
    const before = seen;
    await change();
    const end = Date.now() + 10_000;
    while (seen === before) {
      if (Date.now() > end) throw new Error(`no "configs" line after ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // One change, then quiet: let the stat loop settle before the next step.
    await new Promise((r) => setTimeout(r, withInotify ? 200 : 1500));
  };
  // inotifywait needs a moment to set its watches; the stat loop reads its first state at once.
  await new Promise((r) => setTimeout(r, 500));
  return { cfgDir, next, lines: () => seen };
}

describe.each([
  ['inotifywait', true],
  ['the stat comparison', false],
])('config watch through %s', (_label, withInotify) => {
  it.skipIf(withInotify && !(process.env.PATH ?? '').split(':').some((d) => existsSync(path.join(d, 'inotifywait'))))(
    'says "configs" when a config is added, rewritten, renamed and removed, and nothing while quiet',
    async () => {
      const w = await watch(withInotify);
      await new Promise((r) => setTimeout(r, 2500));
      expect(w.lines()).toBe(0);
      await w.next('adding b.cfg', () => fs.writeFile(path.join(w.cfgDir, 'b.cfg'), 'name = "b"\n'));
      await w.next('rewriting a.cfg in place', () => fs.appendFile(path.join(w.cfgDir, 'a.cfg'), 'memory = 256\n'));
      await w.next('renaming b.cfg', () => fs.rename(path.join(w.cfgDir, 'b.cfg'), path.join(w.cfgDir, 'c.cfg')));
      await w.next('removing c.cfg', () => fs.rm(path.join(w.cfgDir, 'c.cfg')));
    },
    45_000,
  );
});

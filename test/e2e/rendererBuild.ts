// The built renderer the Chromium tests load (out/renderer), rebuilt when any source it is built
// from is newer: a stale build made tests pass or fail on yesterday's UI. Test files run in
// parallel workers, so one builds (a lock directory) while the others wait for it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const INDEX = path.join(ROOT, 'out', 'renderer', 'index.html');
const LOCK = path.join(ROOT, 'out', '.renderer-build.lock');
/** What the renderer bundle is made from (the renderer imports the contract's types and wire). */
const SOURCES = ['renderer', 'electron/api', 'electron.vite.config.ts', 'package.json'];
const STALE_LOCK_MS = 5 * 60_000;

function newestSource(): number {
  let newest = 0;
  for (const s of SOURCES) {
    const p = path.join(ROOT, s);
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (!st.isDirectory()) {
      newest = Math.max(newest, st.mtimeMs);
      continue;
    }
    for (const f of readdirSync(p, { recursive: true, withFileTypes: true })) {
      if (f.isFile()) newest = Math.max(newest, statSync(path.join(f.parentPath, f.name)).mtimeMs);
    }
  }
  return newest;
}

const fresh = () => existsSync(INDEX) && statSync(INDEX).mtimeMs >= newestSource();
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export function ensureRendererBuilt(): void {
  if (fresh()) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another worker is building; a lock left by a killed run is taken over.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else sleep(250);
      if (fresh()) return;
    }
  }
  try {
    if (!fresh()) execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

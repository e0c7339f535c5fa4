// The package check (`npm test` runs it after the build): builds the Linux package tree with
// electron-builder (`--linux dir`) from a stand-in Electron distribution, offline, and checks
// what users would install: the asar's size against a budget, every module the main process
// imports at run time loads from inside the package, the preload and renderer main.ts points
// at are there, nothing from test/ and no source maps, and the fuses are flipped in the binary.
// Offline is enforced: electron-builder runs with loopbackOnly.cjs preloaded.
// Needs `electron-vite build` first (out/).
import { listPackage, extractAll } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeStandInElectronDist } from './standInElectronDist';

/** Measured at 6.4 MB (minified renderer 3.1 MB, zod, ssh2 and its helpers, ssh-config, main bundle); was 69 MB when the renderer's libraries were packed too. */
export const ASAR_BUDGET_BYTES = 10 * 1024 * 1024;

const root = path.resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'domus-package-'));
const failures: string[] = [];
function expect(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures.push(what);
}

try {
  if (!existsSync(path.join(root, 'out', 'main', 'main.js'))) {
    throw new Error('out/main/main.js is missing: run `npx electron-vite build` first.');
  }
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const dist = path.join(work, 'electron-dist');
  writeStandInElectronDist(dist, pkg.devDependencies.electron.replace(/^[^\d]*/, ''));

  const t0 = Date.now();
  const build = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      'dir',
      '--publish',
      'never',
      `--config.electronDist=${dist}`,
      `--config.directories.output=${path.join(work, 'pkg')}`,
      // Rebuilding native modules for Electron needs its headers from the network; the check
      // packs the modules as installed (the layout is what matters here).
      '--config.npmRebuild=false',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        ELECTRON_BUILDER_OFFLINE: 'true',
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(path.join(import.meta.dirname, 'loopbackOnly.cjs'))}`,
      },
    },
  );
  if (build.status !== 0) {
    console.error(build.stdout, build.stderr);
    throw new Error(`electron-builder failed (exit ${build.status}).`);
  }
  console.log(`electron-builder --linux dir: ${Math.round((Date.now() - t0) / 1000)} s`);

  const appDir = path.join(work, 'pkg', 'linux-unpacked');
  const asarPath = path.join(appDir, 'resources', 'app.asar');
  const size = statSync(asarPath).size;
  const entries = listPackage(asarPath, { isPack: false }).map((e) => e.replace(/\\/g, '/'));
  console.log(`app.asar: ${(size / 1024 / 1024).toFixed(2)} MB, ${entries.length} entries (budget ${ASAR_BUDGET_BYTES / 1024 / 1024} MB)`);
  expect(size <= ASAR_BUDGET_BYTES, `app.asar (${size} bytes) is within the budget of ${ASAR_BUDGET_BYTES} bytes`);

  // Paths the main bundle resolves relative to out/main (path.join(here, "..", …)): the preload
  // and the renderer directory it serves, read from the bundle so a moved file is noticed.
  expect(entries.includes('/out/main/main.js'), '/out/main/main.js is in app.asar');
  const bundle = readFileSync(path.join(root, 'out', 'main', 'main.js'), 'utf8');
  const resolved = [...bundle.matchAll(/path\.join\(here,\s*"\.\.",((?:\s*"[^"]+",?)+)\)/g)].map(
    (m) => `/out/${[...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]).join('/')}`,
  );
  expect(resolved.some((p) => p.endsWith('.cjs')) && resolved.length >= 2, `main.js resolves its preload and renderer (${resolved.join(', ')})`);
  for (const p of resolved) {
    const isDir = entries.some((e) => e.startsWith(`${p}/`));
    const needed = isDir ? `${p}/index.html` : p;
    expect(entries.includes(needed), `${needed} (resolved by main.js) is in app.asar`);
  }
  expect(entries.includes('/package.json'), '/package.json (the app version main.js reads) is in app.asar');
  expect(!entries.some((e) => e.startsWith('/test/')), 'nothing from test/ is in app.asar');
  expect(!entries.some((e) => e.endsWith('.map')), 'no source maps in app.asar');
  expect(!entries.some((e) => /^\/(electron|renderer)\//.test(e)), 'no TypeScript sources in app.asar');
  const renderOnly = Object.keys(pkg.devDependencies).filter((d) => entries.some((e) => e.startsWith(`/node_modules/${d}/`)));
  expect(renderOnly.length === 0, `no devDependency is packed${renderOnly.length ? ` (found ${renderOnly.join(', ')})` : ''}`);

  // Every bare module the main bundle imports, loaded with Node's own resolution from inside the
  // unpacked asar (unpacked native parts included), so a missing transitive file fails too.
  const extracted = path.join(work, 'app');
  extractAll(asarPath, extracted);
  const mainJs = readFileSync(path.join(extracted, 'out', 'main', 'main.js'), 'utf8');
  const bare = new Set<string>();
  for (const m of mainJs.matchAll(/(?:^|\n)import\s[^'"]*?from\s*["']([^"'.][^"']*)["']|import\(\s*["']([^"'.][^"']*)["']\s*\)/g)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('node:') && spec !== 'electron') bare.add(spec);
  }
  console.log(`main process imports at run time: ${[...bare].join(', ')}`);
  expect(bare.size > 0, 'the main bundle imports its runtime dependencies (found some)');
  for (const dep of Object.keys(pkg.dependencies)) expect(bare.has(dep), `dependency ${dep} is imported by the main process`);
  const probe = path.join(extracted, 'out', 'main', 'probe-imports.mjs');
  writeFileSync(probe, [...bare].map((s) => `await import(${JSON.stringify(s)});`).join('\n'));
  const loaded = spawnSync(process.execPath, [probe], { cwd: extracted, encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(loaded.status === 0, `each of them loads from inside the package${loaded.status === 0 ? '' : `: ${loaded.stderr.trim().split('\n').slice(0, 4).join(' | ')}`}`);
  const nativeBinding = 'node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node';
  if (existsSync(path.join(root, nativeBinding))) {
    expect(existsSync(path.join(appDir, 'resources', 'app.asar.unpacked', nativeBinding)), `ssh2's native helper is unpacked next to app.asar`);
  }

  // The fuses electron-builder flipped in the (stand-in) binary, read back the way Electron reads them.
  const wire = await getCurrentFuseWire(path.join(appDir, 'domus'));
  const want: [FuseV1Options, boolean][] = [
    [FuseV1Options.RunAsNode, false],
    [FuseV1Options.EnableCookieEncryption, true],
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
    [FuseV1Options.EnableNodeCliInspectArguments, false],
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
    [FuseV1Options.OnlyLoadAppFromAsar, true],
    [FuseV1Options.GrantFileProtocolExtraPrivileges, false],
  ];
  for (const [fuse, on] of want) {
    const state = (wire as Record<number, number>)[fuse];
    expect(state === (on ? 0x31 : 0x30), `fuse ${FuseV1Options[fuse]} is ${on ? 'on' : 'off'} in the packaged binary`);
  }
} catch (err) {
  failures.push(err instanceof Error ? err.message : String(err));
  console.error(err);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(failures.length === 0 ? 'package check: all passed' : `package check: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);

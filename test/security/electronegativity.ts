// `npm test` step: Electronegativity (Doyensec's Electron security linter) over the main process,
// preload and renderer sources, scanned together so its global checks (navigation limits,
// permission handler, CSP) see the whole app. Every finding must be listed with its reason in
// electronegativity-allowlist.json; an unexplained finding, a file it could not parse, or an
// allowlist entry that no longer matches anything fails the step.
//
// Offline: loopbackOnly.cjs refuses non-loopback connections, and the linter fetches translations and Electron's release list with `got`; that module
// is replaced by one that refuses, and the release check (a network lookup of newer Electron
// versions) is not run — the Electron version is pinned in package.json and reviewed there.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  sample?: string;
  description: string;
}
interface AllowEntry {
  id: string;
  file: string;
  /** A piece of the flagged source line ("" for global checks, which have none). */
  match: string;
  why: string;
}

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const linterDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));

// No network for the linter either: any non-loopback connection fails.
require(path.join(import.meta.dirname, '..', 'package', 'loopbackOnly.cjs'));
const gotPath = createRequire(path.join(linterDir, 'dist', 'locales', 'i18n.js')).resolve('got');
const noNetwork = new Module(gotPath);
noNetwork.filename = gotPath;
noNetwork.loaded = true;
noNetwork.exports = () => Promise.reject(new Error('electronegativity runs offline here'));
require.cache[gotPath] = noNetwork;

const run = require(path.join(linterDir, 'dist', 'runner.js')) as (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{ issues: Finding[]; errors: { file: string; message: string; tolerable: boolean }[]; globalChecks: number; atomicChecks: number }>;

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const allow = JSON.parse(readFileSync(path.join(import.meta.dirname, 'electronegativity-allowlist.json'), 'utf8')) as {
  findings: AllowEntry[];
};

const input = mkdtempSync(path.join(tmpdir(), 'domus-electronegativity-'));
let failed = 0;
try {
  for (const dir of ['electron', 'renderer']) {
    cpSync(path.join(root, dir), path.join(input, dir), { recursive: true });
  }
  const result = await run(
    {
      input,
      customScan: [],
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: pkg.devDependencies.electron.replace(/^[^\d]*/, ''),
      parserPlugins: [],
    },
    false,
  );
  console.log(`electronegativity: ${result.globalChecks} global and ${result.atomicChecks} atomic checks, ${result.issues.length} findings`);
  for (const e of result.errors) {
    console.log(`${e.tolerable ? 'warn' : 'FAIL'}  could not fully parse ${path.relative(input, e.file)}: ${e.message}`);
    if (!e.tolerable) failed++;
  }
  const used = new Set<AllowEntry>();
  for (const f of result.issues) {
    const file = f.file.split(path.sep).join('/');
    const entry = allow.findings.find((a) => a.id === f.id && a.file === file && (f.sample ?? '').includes(a.match));
    const where = `${f.id} ${file}:${f.location.line}`;
    if (entry) {
      used.add(entry);
      console.log(`ok    ${where} (allowed: ${entry.why})`);
    } else {
      failed++;
      console.log(`FAIL  ${where}: ${f.description}${f.sample ? `\n        ${f.sample.trim()}` : ''}`);
    }
  }
  for (const a of allow.findings) {
    if (!used.has(a)) {
      failed++;
      console.log(`FAIL  allowlist entry ${a.id} ${a.file} "${a.match}" matches no finding any more: remove it`);
    }
  }
} finally {
  rmSync(input, { recursive: true, force: true });
}
console.log(failed === 0 ? 'electronegativity: no unexplained findings' : `electronegativity: ${failed} unexplained`);
process.exit(failed === 0 ? 0 : 1);

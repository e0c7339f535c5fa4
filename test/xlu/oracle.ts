// The libxlutil oracle for the unit tests: xlu-oracle.c compiled once per test process into a
// temporary directory with the system's cc against Debian's libxen-dev (installed by .ci/run).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let binary: string | null = null;

function oracle(): string {
  if (binary) return binary;
  const dir = mkdtempSync(path.join(tmpdir(), 'domus-xlu-'));
  const out = path.join(dir, 'xlu-oracle');
  // A failure here (no cc, no libxen-dev) fails the test with the compiler's words.
  execFileSync('cc', ['-O1', '-o', out, path.join(__dirname, 'xlu-oracle.c'), '-lxlutil', '-lxenlight'], { stdio: ['ignore', 'pipe', 'pipe'] });
  binary = out;
  return out;
}

export interface XluDisk {
  spec: string;
  ok: boolean;
  report: string;
  target?: string | null;
  vdev?: string | null;
  format?: string;
  backendtype?: string | null;
  backend?: string | null;
  script?: string | null;
  readwrite?: number;
  cdrom?: number;
  removable?: number;
  directIoSafe?: boolean;
  discard?: boolean | null;
  specification?: string | null;
  colo?: boolean | null;
}

/** libxlutil's reading of each disk spec (none may contain a newline). */
export function xluDisks(specs: string[]): XluDisk[] {
  const out = execFileSync(oracle(), ['disk'], { input: specs.map((s) => `${s}\n`).join('') }).toString();
  return out.trimEnd().split('\n').map((l) => JSON.parse(l) as XluDisk);
}

export type XluValue = string | XluValue[];
export interface XluConfig {
  ok: boolean;
  report: string;
  values?: Record<string, { string: string; long?: number } | { list: XluValue[] } | null>;
}

/** libxlutil's reading of a whole config: the values of the given keys. */
export function xluConfig(text: string, keys: string[]): XluConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'domus-xlu-cfg-'));
  const file = path.join(dir, 'guest.cfg');
  writeFileSync(file, text);
  return JSON.parse(execFileSync(oracle(), ['cfg', file, ...keys]).toString()) as XluConfig;
}

// Facts about where Domus runs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by a bundle's build (tools/bundle-serve.mjs), which has no package.json beside it. */
declare const __DOMUS_VERSION__: string | undefined;

export function appVersion(): string {
  if (typeof __DOMUS_VERSION__ === 'string') return __DOMUS_VERSION__;
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const rel of ['../../package.json', '../package.json', '../../../package.json']) {
      const p = path.join(here, rel);
      if (existsSync(p)) {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'domus' && pkg.version) return pkg.version;
      }
    }
  } catch {
    // fall through
  }
  return '0.0.0';
}

/** Dom0 exposes /proc/xen/capabilities containing "control_d". */
export function runsOnDom0(): boolean {
  try {
    return readFileSync('/proc/xen/capabilities', 'utf8').includes('control_d');
  } catch {
    return false;
  }
}

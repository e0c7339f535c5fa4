// Whether "this computer" can be a host: Domus on a Xen control domain (dom0), or where `xl`
// reaches a hypervisor, with the rights to run the toolstack. A non-root user gets them through
// `sudo -n` only: Domus never starts a password prompt it could not show.
import os from 'node:os';
import { DomusError } from '../api/errors';
import type { LocalXen } from '../api/hostMethods';
import type { ExecResult, Transport } from '../transport/types';
import { LocalTransport } from '../transport/local';
import { runsOnDom0 } from './environment';

/** sudo's own words when the user may not run the command without a password. */
const SUDO_REFUSED = /^sudo: (a password is required|a terminal is required)|is not in the sudoers file|may not run sudo|is not allowed to execute/m;

/**
 * The sudoers line for a non-root user. Domus runs xl, the xenstore tools and its own sh and
 * python3 scripts as root, and xl alone can hand a guest any disk of this computer: a rule listing
 * commands would give the same power with more words, so the rule says what it is.
 */
export function sudoRule(user: string): string {
  return `${user} ALL=(root) NOPASSWD: ALL`;
}

export function sudoRuleSentence(user: string): string {
  return (
    `Domus runs as ${user}, not root, and runs the Xen toolstack through \`sudo -n\` (it never asks for a password it cannot show). ` +
    `Give ${user} the rights with this line in /etc/sudoers.d/domus (as root: visudo -f /etc/sudoers.d/domus): ${sudoRule(user)} — ` +
    'xl alone can give a guest any disk of this computer, so this is what managing Xen here means.'
  );
}

export interface LocalXenFacts {
  platform: NodeJS.Platform;
  root: boolean;
  user: string;
  dom0: boolean;
  /** `xl info` as Domus would run it (through `sudo -n` when not root), or its spawn error. */
  xlInfo: ExecResult | DomusError;
}

/** What the Add host dialog says about "this computer", from the facts gathered. */
export function judgeLocalXen(f: LocalXenFacts): LocalXen {
  const no = (reason: string): LocalXen => ({ offered: false, available: false, reason, sudoRule: null });
  if (f.platform !== 'linux') return no(`This computer runs ${f.platform}, not a Xen control domain (dom0): add your Xen host over SSH.`);
  const r = f.xlInfo;
  if (r instanceof DomusError) {
    if (r.code === 'not_found' && !f.root && /^sudo\b/.test(r.message)) {
      return no('sudo is not installed on this computer, and Domus does not run as root, so it cannot run the Xen toolstack here.');
    }
    if (r.code === 'not_found') {
      return no(
        f.dom0
          ? 'This computer is a Xen control domain (dom0), but xl is not installed (Debian: the xen-utils package).'
          : 'This computer is not a Xen host: it is not a Xen control domain (dom0) and has no xl. Add your Xen host over SSH.',
      );
    }
    return no(`Domus could not run xl on this computer: ${r.message}`);
  }
  if (r.code === 0 && /^xen_version\s*:/m.test(r.stdout)) return { offered: true, available: true, reason: null, sudoRule: null };
  if (!f.root && SUDO_REFUSED.test(r.stderr)) {
    return { offered: true, available: false, reason: sudoRuleSentence(f.user), sudoRule: sudoRule(f.user) };
  }
  const said = r.stderr.trim().split('\n')[0] ?? '';
  return no(
    f.dom0
      ? `This computer is a Xen control domain (dom0), but xl info failed${said ? `: ${said}` : '.'}`
      : `xl is installed, but it does not reach a Xen hypervisor here (this computer is not a Xen control domain, dom0)${said ? `: ${said}` : '.'}`,
  );
}

/** Gathers the facts with the transport a local host would use, and judges them. */
export async function probeLocalXen(transport: Transport): Promise<LocalXen> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  let xlInfo: ExecResult | DomusError;
  if (process.platform !== 'linux') xlInfo = new DomusError('not_found', 'xl is not installed on this computer.');
  else {
    xlInfo = await transport.exec(['xl', 'info'], { timeoutMs: 30_000 }).catch((e: unknown) =>
      e instanceof DomusError ? e : new DomusError('command_failed', String(e)),
    );
  }
  return judgeLocalXen({ platform: process.platform, root, user: os.userInfo().username, dom0: runsOnDom0(), xlInfo });
}

/** Runs as root or through `sudo -n`, as a local host's transport does. */
export function localTransport(): LocalTransport {
  return new LocalTransport({ sudo: typeof process.getuid === 'function' && process.getuid() !== 0 });
}

let cached: { at: number; value: Promise<LocalXen> } | null = null;
/** probeLocalXen, asked at most every few seconds (the Add host dialog asks on every opening). */
export function localXenNow(maxAgeMs = 5_000): Promise<LocalXen> {
  if (!cached || Date.now() - cached.at > maxAgeMs) cached = { at: Date.now(), value: probeLocalXen(localTransport()) };
  return cached.value;
}

// A stand-in Xen host for tests of the hosts layer over real SSH: commands named xl, xentop,
// python3 (the monitor script) and xenstore-* on the sshd session's PATH that print what the lab
// recorded (test/fixtures/lab). Only for connection behaviour (trust, drop, reconnect, the
// fallback to xentop); Xen itself is tested on the lab.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { labFixture } from '../fixtures/lab';

/**
 * Writes the stand-in commands and returns the sshd_config lines that put them first on every
 * session's PATH. A ForceCommand, not SetEnv PATH: bash started by sshd reads ~/.bashrc, which may
 * put a python3 of its own (pyenv, say) before them. `monitor: false` is a host without
 * libxenstat: the monitor script says so and ends.
 */
export async function makeRecordedHost(dir: string, opts: { monitor?: boolean } = {}): Promise<string[]> {
  const bin = path.join(dir, 'bin');
  const data = path.join(dir, 'data');
  await fs.mkdir(bin, { recursive: true });
  await fs.mkdir(data, { recursive: true });
  for (const name of ['xl-info', 'xl-list', 'xl-list-l', 'xentop', 'monitor']) {
    await fs.writeFile(path.join(data, name), labFixture(name).stdout);
  }
  const script = (body: string) => `#!/bin/sh\n${body}\n`;
  await fs.writeFile(
    path.join(bin, 'xl'),
    script(`case "$*" in
  "info") cat "${data}/xl-info" ;;
  "list") cat "${data}/xl-list" ;;
  "list -l") cat "${data}/xl-list-l" ;;
  *) echo "recorded host: no recording for xl $*" >&2; exit 1 ;;
esac`),
    { mode: 0o755 },
  );
  // xentop -b -d 1: the recorded frames, again and again, a second apart.
  await fs.writeFile(path.join(bin, 'xentop'), script(`while :; do cat "${data}/xentop"; sleep 1; done`), { mode: 0o755 });
  // The monitor script: its recorded blocks, a second apart, again and again.
  await fs.writeFile(
    path.join(bin, 'python3'),
    opts.monitor === false
      ? script('echo "error libxenstat not found"; exit 1')
      : script(`while :; do while IFS= read -r l; do printf '%s\\n' "$l"; [ "$l" = e ] && sleep 1; done < "${data}/monitor"; done`),
    { mode: 0o755 },
  );
  const session = path.join(dir, 'session');
  await fs.writeFile(session, script(`PATH=${bin}:/usr/bin:/bin; export PATH\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"`), { mode: 0o755 });
  // A watch prints its path on registration, then waits for events that never come.
  await fs.writeFile(path.join(bin, 'xenstore-watch'), script('echo "$1"; exec sleep 100000'), { mode: 0o755 });
  await fs.writeFile(path.join(bin, 'xenstore-exists'), script('exit 0'), { mode: 0o755 });
  return [`ForceCommand ${session}`];
}

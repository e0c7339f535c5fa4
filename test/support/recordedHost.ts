// A stand-in Xen host for tests of the hosts layer over real SSH: commands named xl, xentop and
// xenstore-* on the sshd session's PATH that print what the lab recorded (test/fixtures/lab).
// Only for connection behaviour (trust, drop, reconnect); Xen itself is tested on the lab.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { labFixture } from '../fixtures/lab';

export async function makeRecordedHostBin(dir: string): Promise<string> {
  const bin = path.join(dir, 'bin');
  const data = path.join(dir, 'data');
  await fs.mkdir(bin, { recursive: true });
  await fs.mkdir(data, { recursive: true });
  for (const name of ['xl-info', 'xl-list', 'xl-list-l', 'xentop']) {
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
  // A watch prints its path on registration, then waits for events that never come.
  await fs.writeFile(path.join(bin, 'xenstore-watch'), script('echo "$1"; exec sleep 100000'), { mode: 0o755 });
  await fs.writeFile(path.join(bin, 'xenstore-exists'), script('exit 0'), { mode: 0o755 });
  return bin;
}

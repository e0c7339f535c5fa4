// `npm run lab -- up | down | status | ssh [cmd…] | reset | record` — the Xen lab: a real Xen 4.17
// host with a Debian dom0 under QEMU software emulation, for tests and for trying Domus.
import { execFileSync, spawnSync } from 'node:child_process';
import { ensureImage } from './image';
import { labUp } from './control';
import { imagePaths } from './paths';
import { record, recordAlt } from './record';
import { KNOWN_HOSTS, SERIAL_LOG, readState, resetOverlay, running, stop, type BootOptions } from './vm';

const HELP = `Usage: npm run lab -- <command> [options]

Commands:
  up [--fresh] [--no-iommu] [--sched credit|credit2]
          Build the image if no cached one matches the recipe (2-5 min), boot Xen and dom0
          (about 60-90 s under emulation), wait until \`xl info\` answers over SSH, print how
          to connect. If the lab already runs, says so and exits 0.
            --fresh      start from the pristine image (forget changes made in dom0)
            --no-iommu   boot without the emulated IOMMU (a host without PCI passthrough)
            --sched S    Xen's scheduler: credit2 (default) or credit
  down    Stop the lab's QEMU (only the process the lab started).
  status  Whether the lab runs, since when, its port, boot options and host key fingerprint.
  ssh [cmd...]
          Run a command in dom0 as root, or open a shell.
  reset   Return dom0 to the pristine image (restarts the lab if it runs).
  record [--alt] [--only NAME,NAME…]
          Run the commands Domus parses in dom0 and write their outputs as test fixtures
          (test/fixtures/lab/*.json). Starts and destroys kit guests. --alt records what only
          the alternative lab gives (no IOMMU, credit); run it with DOMUS_LAB_INSTANCE=alt.
          --only writes just the named fixtures (e.g. --only monitor,xentop).

Environment: DOMUS_LAB_CACHE (default ~/.cache/domus/lab) holds the image cache and the run state.
  DOMUS_LAB_INSTANCE=<name> works on a second instance beside the usual one (its own overlay,
  port and state in run-<name>/); the alternative lab suite uses "alt", booted with
  --no-iommu --sched credit.
Needs: qemu-system-x86, qemu-utils, mmdebstrap, e2fsprogs, openssh-client (see README).`;

/** The lab's host key as `ssh-keygen -l` prints it, to compare with what Domus shows on first connect. */
function hostKeyFingerprint(): string {
  return execFileSync('ssh-keygen', ['-lf', imagePaths().hostKeyPub], { encoding: 'utf8' }).split(' ')[1];
}

function printConnectInfo(): void {
  const st = readState()!;
  const img = imagePaths();
  const fp = hostKeyFingerprint();
  console.log(`Lab ready: Xen host at 127.0.0.1 port ${st.port}
  user:         root (or "admin" with sudo -n)
  private key:  ${img.key}
  host key:     ${fp} (ED25519)
  shell:        ${process.env.DOMUS_LAB_INSTANCE ? `DOMUS_LAB_INSTANCE=${process.env.DOMUS_LAB_INSTANCE} ` : ''}npm run lab -- ssh
  serial log:   ${SERIAL_LOG()}`);
}

function parseBootOptions(args: string[]): BootOptions {
  const opts: BootOptions = { iommu: true, sched: 'credit2', fresh: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--fresh') opts.fresh = true;
    else if (a === '--no-iommu') opts.iommu = false;
    else if (a === '--sched') {
      const s = args[++i];
      if (s !== 'credit' && s !== 'credit2') throw new Error('--sched takes credit or credit2.');
      opts.sched = s;
    } else if (a === '--tcg-thread') {
      const t = args[++i];
      if (t !== 'single' && t !== 'multi') throw new Error('--tcg-thread takes single or multi.');
      opts.tcgThread = t;
    } else if (a === '--cpu') {
      opts.cpu = args[++i];
    } else if (a === '--smp') {
      opts.smp = Number(args[++i]);
      if (!(opts.smp >= 1 && opts.smp <= 4)) throw new Error('--smp takes 1 to 4.');
    } else throw new Error(`Unknown option for up: ${a}`);
  }
  return opts;
}

async function up(args: string[]): Promise<void> {
  const st = await labUp(parseBootOptions(args), (l) => console.log(l));
  if (st === 'already running') return;
  printConnectInfo();
}

async function main(): Promise<number> {
  const [cmd, ...args] = process.argv.slice(2);
  switch (cmd) {
    case 'up':
      await up(args);
      return 0;
    case 'down': {
      const r = await stop();
      console.log(r === 'stopped' ? 'The lab is stopped.' : 'The lab was not running.');
      return 0;
    }
    case 'status': {
      const st = running();
      if (!st) {
        console.log('The lab is not running.');
        return 3;
      }
      console.log(`The lab is running: pid ${st.pid}, since ${st.startedAt}, SSH on 127.0.0.1:${st.port}, ` +
        `IOMMU ${st.iommu ? 'on' : 'off'}, scheduler ${st.sched}.`);
      console.log(`  host key: ${hostKeyFingerprint()} (ED25519)`);
      return 0;
    }
    case 'ssh': {
      const st = running();
      if (!st) throw new Error('The lab is not running: start it with `npm run lab -- up`.');
      const img = imagePaths();
      const r = spawnSync('ssh', [
        '-i', img.key, '-p', String(st.port),
        '-o', `UserKnownHostsFile=${KNOWN_HOSTS()}`, '-o', 'StrictHostKeyChecking=yes',
        '-o', 'ConnectTimeout=60', '-o', 'LogLevel=ERROR',
        ...(args.length ? [] : ['-t']), 'root@127.0.0.1', ...args,
      ], { stdio: 'inherit' });
      return r.status ?? 1;
    }
    case 'reset': {
      const st = running();
      const img = await ensureImage((l) => console.log(l));
      if (st) await stop();
      resetOverlay(img);
      console.log('dom0 is back to the pristine image.');
      if (st) await up(st.iommu ? ['--sched', st.sched] : ['--no-iommu', '--sched', st.sched]);
      return 0;
    }
    case 'record':
      if (args.includes('--alt')) await recordAlt();
      else {
        const at = args.indexOf('--only');
        await record(at >= 0 ? (args[at + 1] ?? '').split(',').filter(Boolean) : []);
      }
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(HELP);
      return cmd ? 0 : 2;
    default:
      console.error(`Unknown lab command: ${cmd}\n\n${HELP}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);

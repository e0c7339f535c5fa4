// Guest creation: the wizard's backend call (create.create with start, through Domus's own
// connection: checks, disk, config written no-clobber, xl create, until the inventory lists the
// guest) against doing the same work by hand over a fresh ssh (`qemu-img create` + `xl create` of
// the same config), in one run, each run's two back to back. The wizard's review page has shown
// before the click (its preview and xl's check of the config ran then, untimed, as they do while
// the user reads the review). Each sample creates a kit PV guest with one 64 MiB raw disk on
// xenbr0 and destroys it after, and waits until Domus's inventory no longer lists it.
import { spawn } from 'node:child_process';
import type { CreateAnswers } from '../electron/api/create';
import { buildConfig } from '../electron/drivers/xl/create/config';
import { connectLabBackend } from '../test/lab/backend';
import type { LabHost } from '../test/lab/labHost';
import { imagePaths } from '../test/lab/paths';
import { KNOWN_HOSTS } from '../test/lab/vm';
import { fromSamples, type Figures } from './figures';
import { median, timeIt } from './stats';
import { until } from '../test/support/wait';

const RUNS = Number(process.env.BENCH_CREATE_RUNS ?? process.env.BENCH_RUNS ?? 5);
const IMAGES = '/var/lib/xen/images';

function answers(name: string): CreateAnswers {
  return {
    name,
    type: 'pv',
    boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: 'console=hvc0 rdinit=/init loglevel=4' },
    vcpus: 1, maxVcpus: 1, memoryMiB: 128, maxMemoryMiB: 128,
    disks: [{ kind: 'new', path: `${IMAGES}/${name}.img`, format: 'raw', sizeMiB: 64 }],
    nics: [{ bridge: 'xenbr0', mac: '00:16:3e:5b:00:01', model: null }],
    pci: [], passthroughEnabled: false, vnc: false, vncPassword: null,
  };
}

function ssh(port: number, command: string): Promise<void> {
  const args = [
    '-i', imagePaths().key, '-p', String(port), '-o', `UserKnownHostsFile=${KNOWN_HOSTS()}`,
    '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', 'root@127.0.0.1', command,
  ];
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ssh exit ${code}: ${err}`))));
  });
}

async function remove(lab: LabHost, name: string): Promise<void> {
  await lab.run(['xl', 'destroy', name], { timeoutMs: 120_000 });
  await lab.run(['rm', '-f', `/etc/xen/${name}.cfg`, `/tmp/${name}.cfg`, `${IMAGES}/${name}.img`]);
}

export async function benchCreate(lab: LabHost, log: (s: string) => void): Promise<Figures> {
  const b = await connectLabBackend(lab, 'bench-create');
  const wizard: number[] = [];
  const hand: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first so neither always meets a warmer dom0.
      const order = i % 2 ? ['hand', 'wizard'] : ['wizard', 'hand'];
      for (const which of order) {
        const name = `wz-bench-${which}`;
        await remove(lab, name);
        if (which === 'wizard') {
          const review = await b.backend['create.preview']({ hostId: b.hostId, answers: answers(name) });
          if (review.problems.some((p) => p.severity === 'error')) throw new Error(`the review refuses ${name}: ${review.problems.map((p) => p.message).join(' ')}`);
          const checked = await b.backend['create.dryRun']({ hostId: b.hostId, configText: review.configText });
          if (!checked.ok) throw new Error(`xl rejects the config of ${name}: ${checked.detail}`);
          wizard.push(await timeIt(() => b.backend['create.create']({ hostId: b.hostId, answers: answers(name), configText: null, start: true })));
        } else {
          // The same config text the wizard writes, already on the host (a person wrote it).
          await lab.ok(['sh', '-c', 'cat > "$1"', 'sh', `/tmp/${name}.cfg`], { stdin: buildConfig(answers(name)) });
          hand.push(await timeIt(() => ssh(lab.state.port, `qemu-img create -q -f raw ${IMAGES}/${name}.img 64M && xl create -q /tmp/${name}.cfg`)));
        }
        if ((await lab.run(['xl', 'domid', name])).code !== 0) throw new Error(`${name} is not running after its create`);
        await remove(lab, name);
        await until(`${name} gone from Domus's inventory`, async () => !(await b.backend['guests.list']({ hostId: b.hostId })).some((g) => g.name === name), 60_000);
      }
      log(`create: run ${i + 1}/${RUNS}: wizard ${wizard.at(-1)!.toFixed(0)} ms, by hand ${hand.at(-1)!.toFixed(0)} ms`);
    }
  } finally {
    await remove(lab, 'wz-bench-wizard');
    await remove(lab, 'wz-bench-hand');
    await b.close();
  }
  const w = fromSamples(wizard, 'ms');
  const h = fromSamples(hand, 'ms');
  // Each run's two creates are back to back, so their ratio is free of the lab's drift over the
  // run (a create took 35 s in the first minutes after boot and 18 s later): the figure is the
  // median of those ratios; the ratio of the medians is beside it.
  const pairs = wizard.map((x, i) => x / hand[i]!);
  return {
    'create.wizard_ms': { ...w, vs_xl_by_hand: median(pairs), pair_ratios: pairs.map((r) => Math.round(r * 1000) / 1000), ratio_of_medians: w.value / h.value },
    'create.xl_by_hand_ms': h,
  };
}

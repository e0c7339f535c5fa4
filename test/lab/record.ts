// `npm run lab -- record`: runs every command Domus parses on the lab's dom0, with PV and PVH
// guests running, and writes each output as a fixture with its command line and Xen version.
// Parsers are tested on these, never on outputs typed by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabHost, type RunResult } from './labHost';
import { DESKTOP_PROBE_SCRIPT, PCI_PROBE_SCRIPT } from '../../electron/drivers/xl/pciSafety';
import { monitorArgv } from '../../electron/drivers/xl/monitor';
import { diskUsageArgv } from '../../electron/drivers/xl/diskUsage';
import { saveImagesArgv } from '../../electron/drivers/xl/saveImages';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lab');
const KIT = '/root/kit';
const E1000 = '0000:00:05.0';
const KIT_GUESTS = ['kit-pv', 'kit-pvh', 'kit-pvnet', 'kit-pvpci', 'kit-hvm', 'kit-pvhot', 'kit-bad'];

// Disks in use (diskUsage.ts): hd-p runs on hd-p.img; hd-q, stopped, names it through a symlink and
// shares hd-iso.img read-only with running hd-s; hd-s's save image in /var/lib/xen/save (the kit's
// PV guest does not answer the suspend request, but xl has written the header Domus reads by
// then); hd-p.cfg.bak.
const DISK_USAGE_SETUP = `set -e
I=/var/lib/xen/images; mkdir -p $I /var/lib/xen/save
qemu-img create -q -f raw $I/hd-p.img 8M; qemu-img create -q -f raw $I/hd-s.img 8M; qemu-img create -q -f raw $I/hd-iso.img 8M
ln -sf $I/hd-p.img $I/hd-p-link.img
for g in p q s; do sed "s/^name *=.*/name = \\"hd-$g\\"/" ${KIT}/pv.cfg > /etc/xen/hd-$g.cfg; done
echo 'disk = [ "format=raw, vdev=xvda, access=rw, target=/var/lib/xen/images/hd-p.img" ]' >> /etc/xen/hd-p.cfg
echo 'disk = [ "format=raw, vdev=xvda, access=rw, target=/var/lib/xen/images/hd-p-link.img", "/var/lib/xen/images/hd-iso.img,raw,xvdb,ro" ]' >> /etc/xen/hd-q.cfg
echo 'disk = [ "format=raw, vdev=xvda, access=rw, target=/var/lib/xen/images/hd-s.img", "format=raw, vdev=xvdb, access=ro, target=/var/lib/xen/images/hd-iso.img" ]' >> /etc/xen/hd-s.cfg
cp /etc/xen/hd-p.cfg /etc/xen/hd-p.cfg.bak
xl create /etc/xen/hd-p.cfg; xl create /etc/xen/hd-s.cfg
xl save hd-s /var/lib/xen/save/hd-s.save || true
`;
const DISK_USAGE_CLEANUP = 'xl destroy hd-p; xl destroy hd-s; rm -f /etc/xen/hd-[pqs].cfg* /var/lib/xen/images/hd-* /var/lib/xen/save/hd-s.save';

/** `only`: record just these fixtures (the others keep what an earlier run recorded). */
export async function record(only: string[] = []): Promise<void> {
  const lab = await LabHost.connect();
  mkdirSync(OUT, { recursive: true });
  const xenVersion = (await lab.ok(['xl', 'info'])).match(/^xen_version\s*:\s*(\S+)/m)?.[1] ?? 'unknown';
  const recordedAt = new Date().toISOString();
  const written: string[] = [];

  const save = (name: string, argv: string[], r: RunResult, limitLines?: number) => {
    const stdout = limitLines ? r.stdout.split('\n').slice(0, limitLines).join('\n') + '\n' : r.stdout;
    const command = argv.join(' ');
    writeFileSync(
      join(OUT, `${name}.json`),
      JSON.stringify({ command, argv, xenVersion, recordedAt, exitCode: r.code, stdout, stderr: r.stderr }, null, 2) + '\n',
    );
    written.push(name);
  };
  const rec = async (name: string, argv: string[], opts: { expectFail?: boolean; anyExit?: boolean; limitLines?: number } = {}) => {
    if (only.length && !only.includes(name)) return;
    const r = await lab.run(argv, { timeoutMs: 120_000 });
    if (!opts.anyExit && (opts.expectFail ? r.code === 0 : r.code !== 0)) {
      throw new Error(`${argv.join(' ')}: expected ${opts.expectFail ? 'a failure' : 'success'}, got exit ${r.code}: ${r.stderr}`);
    }
    save(name, argv, r, opts.limitLines);
    console.log(`recorded ${name}: ${argv.join(' ')} (exit ${r.code})`);
  };
  const cleanup = async () => {
    for (const g of KIT_GUESTS) await lab.run(['xl', 'destroy', g]);
    if ((await lab.run(['xl', 'pci-assignable-list'])).stdout.includes(E1000)) {
      await lab.run(['xl', 'pci-assignable-remove', '-r', E1000]);
    }
  };

  try {
    await cleanup();
    for (const cfg of ['pv.cfg', 'pvh.cfg', 'pv-net.cfg']) await lab.ok(['xl', 'create', `${KIT}/${cfg}`], { timeoutMs: 120_000 });
    await rec('pci-probe', ['sh', '-c', PCI_PROBE_SCRIPT]);
    await rec('desktop-probe', ['sh', '-c', DESKTOP_PROBE_SCRIPT]);
    await lab.ok(['xl', 'pci-assignable-add', E1000]);
    const domid = (await lab.ok(['xl', 'domid', 'kit-pv'])).trim();

    await rec('xl-info', ['xl', 'info']);
    await rec('xl-info-n', ['xl', 'info', '-n']);
    await rec('xl-list', ['xl', 'list']);
    await rec('xl-list-l', ['xl', 'list', '-l']);
    await rec('xl-list-c', ['xl', 'list', '-c']);
    if (!only.length || only.includes('xl-list-paused')) {
      await lab.ok(['xl', 'pause', 'kit-pv']);
      await rec('xl-list-paused', ['xl', 'list', '--', 'kit-pv']);
      await lab.ok(['xl', 'unpause', 'kit-pv']);
    }
    await rec('xl-vcpu-list', ['xl', 'vcpu-list']);
    await rec('xl-sched-credit2', ['xl', 'sched-credit2']);
    await rec('xl-cpupool-list-c', ['xl', 'cpupool-list', '-c']);
    await rec('xl-cpupool-list', ['xl', 'cpupool-list']);
    await rec('xl-pci-assignable-list', ['xl', 'pci-assignable-list']);
    await rec('lspci-Dnnmm', ['lspci', '-Dnnmm']);
    await rec('xentop', ['xentop', '-b', '-i', '2', '-d', '1']);
    // Traffic to kit-pvnet first (a broadcast on the lab's own emulated network), so its vif's
    // counters are not zero whatever the guest's boot happened to send.
    await lab.ok(['python3', '-c', 'import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)\nfor _ in range(20): s.sendto(b"x" * 1000, ("10.0.2.255", 9))']);
    await rec('monitor', monitorArgv(3));
    await rec('xenstore-ls-domain', ['xenstore-ls', '-f', `/local/domain/${domid}`]);
    await rec('xl-network-list', ['xl', 'network-list', 'kit-pvnet']);
    await rec('xl-dmesg', ['xl', 'dmesg'], { limitLines: 120 });
    await rec('xl-uptime', ['xl', 'uptime']);
    await rec('ps-xenconsoled', ['ps', '-C', 'xenconsoled', '-o', 'args=']);
    await rec('xlcfg-xlexample-pvlinux', ['cat', '/etc/xen/xlexample.pvlinux']);
    await rec('xlcfg-xlexample-hvm', ['cat', '/etc/xen/xlexample.hvm']);
    await rec('find-kit', ['find', KIT, '-mindepth', '1', '-maxdepth', '1', '-printf', '%y\\t%s\\t%p\\0']);
    await rec('ip-link-bridge', ['ip', '-j', 'link', 'show', 'type', 'bridge']);
    await rec('error-create-dry-run-syntax', ['xl', 'create', '-n', `${KIT}/pv.cfg`, 'memory=abc'], { expectFail: true });
    await rec('error-save-missing-dir', ['xl', 'save', 'kit-pv', '/nonexistent/dir/kit-pv.save'], { expectFail: true });

    await rec('error-duplicate-name', ['xl', 'create', `${KIT}/pv.cfg`], { expectFail: true });
    await rec('error-vcpu-pin-bad', ['xl', 'vcpu-pin', 'kit-pv', '7', '0'], { expectFail: true });
    // xl only warns (exit 0) when the device is already assignable.
    await rec('error-assignable-add-twice', ['xl', 'pci-assignable-add', E1000], { anyExit: true });
    await rec('error-mem-set-above-max', ['xl', 'mem-set', 'kit-pv', '2048m'], { expectFail: true });
    await rec('error-sched-credit-on-credit2', ['xl', 'sched-credit', '-d', 'kit-pv'], { expectFail: true });
    await rec('error-console-unknown-domain', ['xl', 'console', 'no-such-guest'], { expectFail: true });
    await rec('error-pci-attach-no-passthrough', ['xl', 'pci-attach', 'kit-pv', E1000], { expectFail: true });
    await rec('error-create-missing-kernel',
      ['xl', 'create', `${KIT}/pv.cfg`, 'name="kit-bad"', 'kernel="/nonexistent/vmlinuz"'], { expectFail: true });

    // With the e1000 passed through to a running guest.
    await lab.ok(['xl', 'create', `${KIT}/pv-pci.cfg`], { timeoutMs: 120_000 });
    await rec('xl-pci-list', ['xl', 'pci-list', 'kit-pvpci']);
    await rec('xl-list-l-pci', ['xl', 'list', '-l', 'kit-pvpci']);

    if (!only.length || only.includes('disk-usage-probe')) {
      await lab.script(DISK_USAGE_CLEANUP);
      const setup = await lab.script(DISK_USAGE_SETUP, 300_000);
      if (setup.code !== 0) throw new Error(`disk usage set-up failed: ${setup.stderr}`);
      try {
        await rec('disk-usage-probe', diskUsageArgv(['/dev/vda', '/var/lib/xen/images/hd-p-link.img']));
        await rec('save-images', saveImagesArgv());
      } finally {
        await lab.script(DISK_USAGE_CLEANUP);
      }
    }
  } finally {
    await cleanup();
    lab.close();
  }
  console.log(`Wrote ${written.length} fixtures to ${OUT} (Xen ${xenVersion}).`);
}

/**
 * `record --alt` on the alternative lab (no IOMMU, credit scheduler): the outputs only such a
 * host gives. Run with DOMUS_LAB_INSTANCE=alt.
 */
export async function recordAlt(): Promise<void> {
  const lab = await LabHost.connect();
  const xenVersion = (await lab.ok(['xl', 'info'])).match(/^xen_version\s*:\s*(\S+)/m)?.[1] ?? 'unknown';
  const info = await lab.ok(['xl', 'info']);
  if (/directio/.test(info) || !/^xen_scheduler\s*:\s*credit$/m.test(info)) {
    throw new Error('record --alt needs the alternative lab: DOMUS_LAB_INSTANCE=alt npm run lab -- up --no-iommu --sched credit');
  }
  const recordedAt = new Date().toISOString();
  const rec = async (name: string, argv: string[]) => {
    const r = await lab.run(argv, { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.stderr}`);
    writeFileSync(
      join(OUT, `${name}.json`),
      JSON.stringify({ command: argv.join(' '), argv, xenVersion, recordedAt, exitCode: r.code, stdout: r.stdout, stderr: r.stderr }, null, 2) + '\n',
    );
    console.log(`recorded ${name}: ${argv.join(' ')}`);
  };
  try {
    await lab.run(['xl', 'destroy', 'kit-pv']);
    await lab.ok(['xl', 'create', `${KIT}/pv.cfg`], { timeoutMs: 120_000 });
    await rec('xl-info-noiommu', ['xl', 'info']);
    await rec('xl-sched-credit', ['xl', 'sched-credit']);
    await rec('xl-cpupool-list-c-credit', ['xl', 'cpupool-list', '-c']);
  } finally {
    await lab.run(['xl', 'destroy', 'kit-pv']);
    lab.close();
  }
}

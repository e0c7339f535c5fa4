// PCI passthrough on recorded lab outputs: the probe script's sections, the device list, what dom0
// needs (the SSH NIC behind xenbr0, the root disk's controller, the boot VGA), availability without
// an IOMMU, xl's failures as sentences, and the boot-time hide preview.
import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { parseXlInfo } from '../../../electron/drivers/xl/parse';
import { buildPciInventory, passthroughAvailability, pciArgv, pciError, pciSpec, persistencePreview } from '../../../electron/drivers/xl/pci';
import { PCI_PROBE_SCRIPT, bdfsInPath, dom0Needs, parsePciProbe } from '../../../electron/drivers/xl/pciSafety';
import { dom0NeedSentence } from '../../../electron/hosts/handlers/pciHandlers';

const LAB_CAPS = parseXlInfo(labFixture('xl-info').stdout).virtCaps;
const idle = () => parsePciProbe(labFixture('pci-probe').stdout);
const assigned = () => parsePciProbe(labFixture('pci-probe-assigned').stdout);

describe('pci probe (recorded on the lab)', () => {
  it('the fixture was recorded with the script Domus runs', () => {
    expect(labFixture('pci-probe').argv).toEqual(pciArgv.probe(PCI_PROBE_SCRIPT));
  });

  it('reads sysfs drivers, the boot VGA and the SSH client as dom0 sees it', () => {
    const p = idle();
    expect(p.sysfs.find((s) => s.bdf === '0000:00:05.0')).toMatchObject({ driver: 'e1000', bootVga: false, path: ['0000:00:05.0'] });
    expect(p.sysfs.find((s) => s.bdf === '0000:00:01.0')).toMatchObject({ driver: 'bochs-drm', bootVga: true });
    expect(p.clients).toEqual([{ kind: 'ssh_client', address: '10.0.2.2', dev: 'xenbr0' }]);
    expect(p.net.find((n) => n.name === 'xenbr0')?.bridgeMembers).toEqual(['enp0s3']);
    expect(p.storage).toContainEqual({ kind: 'mount', source: '/dev/vda', what: '/', disk: 'vda' });
    expect(p.block.find((b) => b.name === 'vda')?.devicePath).toEqual(['0000:00:02.0']);
  });

  it('bdfsInPath finds bridges and the device in a sysfs path', () => {
    expect(bdfsInPath('/sys/devices/pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0')).toEqual(['0000:00:1f.2']);
  });

  it('dom0 needs the virtio NIC behind xenbr0 (SSH), the virtio disk under / and the boot VGA; not the e1000', () => {
    const needs = dom0Needs(idle());
    expect(needs.get('0000:00:03.0')).toEqual([{ kind: 'ssh-nic', what: 'xenbr0 (enp0s3): the SSH connection from 10.0.2.2' }]);
    expect(needs.get('0000:00:02.0')).toEqual([{ kind: 'storage', what: 'vda: / (/dev/vda)' }]);
    expect(needs.get('0000:00:01.0')?.[0].kind).toBe('console');
    expect(needs.has('0000:00:05.0')).toBe(false);
    expect(dom0NeedSentence({ bdf: '0000:00:03.0', dom0Needs: needs.get('0000:00:03.0')! })).toMatch(
      /taking it away stops the network connection Domus uses \(xenbr0 \(enp0s3\): the SSH connection from 10\.0\.2\.2\)/,
    );
  });

  it('lists every device with names, driver, siblings and the guests that have it', () => {
    const inv = buildPciInventory(assigned(), LAB_CAPS);
    expect(inv.availability).toMatchObject({ available: true, pv: true, hvm: true, reason: null });
    expect(inv.devices).toHaveLength(8);
    const e1000 = inv.devices.find((d) => d.bdf === '0000:00:05.0')!;
    expect(e1000).toMatchObject({
      vendorName: 'Intel Corporation', deviceName: '82540EM Gigabit Ethernet Controller', classId: '0200',
      driver: 'pciback', assignable: true, dom0Needs: [], runningIn: ['pci-rec'],
      configuredIn: [{ guest: 'pci-reccfg', path: '/etc/xen/pci-reccfg.cfg' }],
    });
    expect(inv.devices.find((d) => d.bdf === '0000:00:1f.2')?.functions).toEqual(['0000:00:1f.0', '0000:00:1f.3']);
    expect(inv.devices.find((d) => d.bdf === '0000:00:1f.0')?.isBridge).toBe(true);
    expect(inv.guests.find((g) => g.name === 'pci-rec')).toMatchObject({ running: true, liveAttach: true, devices: ['0000:00:05.0'] });
    expect(inv.guests.find((g) => g.name === 'pci-rechot')).toMatchObject({ running: true, liveAttach: true, devices: [] });
    expect(inv.guests.find((g) => g.name === 'pci-reccfg')).toMatchObject({ running: false, configDevices: ['0000:00:05.0'] });
    expect(inv.clientAddress).toBe('10.0.2.2');
  });

  it('a guest started without passthrough or devices cannot take a device live', () => {
    const inv = buildPciInventory(idle(), LAB_CAPS);
    const running = inv.guests.filter((g) => g.running);
    expect(running.length).toBeGreaterThan(0);
    for (const g of running) expect(g).toMatchObject({ devices: [], liveAttach: false });
    expect(inv.devices.find((d) => d.bdf === '0000:00:05.0')).toMatchObject({ driver: 'e1000', assignable: false });
  });

  it('warns when only some functions of a multi-function device are given away', () => {
    const p = idle();
    // The lab's only multi-function slot holds a bridge (00:1f.0), which never counts; drop it to
    // see the rule on the recorded SATA + SMBus functions, with the SATA function made assignable.
    p.sections.lspci = p.sections.lspci.filter((l) => !l.startsWith('0000:00:1f.0'));
    p.assignable = ['0000:00:1f.2'];
    expect(buildPciInventory(p, LAB_CAPS).warnings).toEqual([{ slot: '0000:00:1f', assigned: ['0000:00:1f.2'], left: ['0000:00:1f.3'] }]);
  });
});

describe('pci availability', () => {
  it('without the IOMMU (recorded xl info of a no-IOMMU boot) passthrough is unavailable, with the reason', () => {
    const f = labFixture('xl-info-noiommu');
    const caps = /^virt_caps\s*:\s*(.*)$/m.exec(f.stdout)![1].split(/\s+/);
    const cmd = /^xen_commandline\s*:\s*(.*)$/m.exec(f.stdout)![1];
    const a = passthroughAvailability(caps, cmd);
    expect(a).toMatchObject({ available: false, pv: false, hvm: false });
    // The alternative lab boots Xen with iommu=0, and the reason says so.
    expect(a.reason).toMatch(/"iommu=0"/);
    const inv = buildPciInventory(idle(), caps, cmd);
    expect(inv.availability.available).toBe(false);
  });

  it('names iommu=0 on the Xen command line as the reason', () => {
    expect(passthroughAvailability(['pv', 'hvm'], 'console=com1 iommu=0').reason).toMatch(/"iommu=0"/);
  });
});

describe('pci errors and argv', () => {
  it.each([
    ['error-pci-attach-no-passthrough', /started without passthrough/],
    ['error-pci-attach-not-assignable', /not assignable yet/],
    ['error-pci-create-not-assignable', /not assignable yet/],
    ['error-pci-detach-not-attached', /not attached to that guest/],
  ])('%s becomes a sentence with xl\'s text as detail', (name, re) => {
    const f = labFixture(name);
    const e = pciError('do it', f.stderr);
    expect(e.message).toMatch(re);
    expect(e.detail).toContain('libxl: error:');
  });

  it('builds pci specs and argv', () => {
    expect(pciSpec('0000:00:05.0', { permissive: true, msitranslate: false, rdmPolicy: 'relaxed', seize: true })).toBe(
      '0000:00:05.0,permissive=1,msitranslate=0,rdm_policy=relaxed,seize=1',
    );
    expect(pciArgv.assignableRemove('0000:00:05.0')).toEqual(['xl', 'pci-assignable-remove', '-r', '0000:00:05.0']);
    expect(pciArgv.attach('g', '0000:00:05.0', { permissive: true })).toEqual(['xl', 'pci-attach', '--', 'g', '0000:00:05.0,permissive=1']);
  });
});

describe('pci persistence preview', () => {
  it('on the lab (no GRUB): the dom0 command line with the hide parameter, nothing pending', () => {
    const prev = persistencePreview(idle(), ['0000:00:05.0']);
    expect(prev.parameter).toBe('xen-pciback.hide=(0000:00:05.0)');
    expect(prev.file).toBeNull();
    expect(prev.before).toBe('root=/dev/vda rw console=hvc0 earlyprintk=xen');
    expect(prev.after).toBe('root=/dev/vda rw console=hvc0 earlyprintk=xen xen-pciback.hide=(0000:00:05.0)');
    expect(prev.rebootRequired).toBe(false);
  });

  it('with GRUB: the exact line before and after; configured but not booted means reboot required', () => {
    const p = idle();
    p.grub = ['GRUB_CMDLINE_LINUX="quiet xen-pciback.hide=(0000:00:05.0)"'];
    const prev = persistencePreview(p, ['0000:00:05.0', '0000:00:1f.3']);
    expect(prev.after).toBe('GRUB_CMDLINE_LINUX="quiet xen-pciback.hide=(0000:00:05.0)(0000:00:1f.3)"');
    expect(prev.rebootRequired).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { LspciDevice, parseLspciDnnmm, parsePciAssignableList, parsePciList } from '../../../electron/drivers/xl/parse';

const BDF = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

describe('parsePciAssignableList on `xl pci-assignable-list`', () => {
  const fx = labFixture('xl-pci-assignable-list');
  const list = parsePciAssignableList(fx.stdout);

  it('reads each BDF, without the trailing space xl prints after it', () => {
    const expected = fx.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(list.map((d) => d.bdf)).toEqual(expected);
    for (const d of list) expect(d.bdf).toMatch(BDF);
  });

  it('returns nothing for the empty list (no output at all)', () => {
    expect(parsePciAssignableList('')).toEqual([]);
  });
});

describe('parsePciList on `xl pci-list <guest>`', () => {
  const fx = labFixture('xl-pci-list');
  const list = parsePciList(fx.stdout);

  it('reads the guest slot and the host BDF of every row under "Vdev Device"', () => {
    const rows = fx.stdout.split('\n').slice(1).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
    expect(fx.stdout.startsWith('Vdev Device')).toBe(true);
    expect(list).toEqual(rows.map(([vdev, bdf]) => ({ vdev, bdf })));
    for (const d of list) {
      expect(d.bdf).toMatch(BDF);
      expect(d.vdev).toMatch(/^[0-9a-f]{2}\.[0-7]$/);
    }
  });
});

describe('parseLspciDnnmm on `lspci -Dnnmm`', () => {
  const fx = labFixture('lspci-Dnnmm');
  const devs = parseLspciDnnmm(fx.stdout);

  it('reads one device per line, each valid', () => {
    expect(devs).toHaveLength(fx.stdout.split('\n').filter((l) => l.trim()).length);
    for (const d of devs) {
      expect(LspciDevice.parse(d)).toEqual(d);
      expect(d.bdf).toMatch(BDF);
      expect(d.classId).toMatch(/^[0-9a-f]{4}$/);
      expect(d.vendorId).toMatch(/^[0-9a-f]{4}$/);
    }
  });

  it("finds the lab's spare e1000 at 0000:00:05.0: an Ethernet controller [0200] by Intel [8086:100e]", () => {
    const nic = devs.find((d) => d.bdf === '0000:00:05.0')!;
    expect(nic).toMatchObject({ className: 'Ethernet controller', classId: '0200', vendorId: '8086', deviceId: '100e' });
    expect(nic.vendorName).toBe('Intel Corporation');
  });

  it("leaves a name empty where lspci has none and prints its placeholder ('Vendor [1234]')", () => {
    // QEMU's standard VGA (1234:1111) is not in the lab's pci.ids: lspci printed the words
    // "Vendor" and "Device", which the PCI view showed as if they were names.
    const vga = devs.find((d) => d.bdf === '0000:00:01.0')!;
    expect(vga).toMatchObject({ className: 'VGA compatible controller', vendorName: '', vendorId: '1234', deviceName: '', deviceId: '1111', subsystemName: '', subsystemId: '1100' });
    expect(vga.subsystemVendorName).toBe('Red Hat, Inc.');
  });

  it('takes the id from the last bracket only: names may carry brackets of their own', () => {
    for (const line of fx.stdout.split('\n').filter(Boolean)) {
      const quoted = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      const d = devs.find((x) => x.bdf === line.split(' ')[0])!;
      expect(`${d.deviceName || 'Device'} [${d.deviceId}]`).toBe(quoted[2]);
      expect(`${d.className} [${d.classId}]`).toBe(quoted[0]);
    }
    const rev = /^(\S+) .* -r([0-9a-f]{2}) /m.exec(fx.stdout);
    if (rev) expect(devs.find((d) => d.bdf === rev[1])!.revision).toBe(rev[2]);
  });
});

// The config checks: the host script run here with sh (a real bzImage header, a gzip ramdisk, a
// missing file, no such bridge or PCI device), and the problems each finding becomes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { askHost, checkEdit, configProblems, introduced, keyLine, memoryFloorMiB, Questions, type HostFacts } from '../../../electron/drivers/xl/configChecks';
import type { Run } from '../../../electron/drivers/xl/lifecycle';
import { XlCfg } from '../../../electron/drivers/xl/xlcfg';

const MiB = 1024 * 1024;
const dir = mkdtempSync(path.join(tmpdir(), 'domus-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file with the Linux boot header of a bzImage: "HdrS", protocol 2.15, pref_address, init_size. */
function bzImage(file: string, prefAddress: number, initSize: number): string {
  const b = Buffer.alloc(0x300 + 4096);
  b.write('HdrS', 0x202, 'latin1');
  b.writeUInt16LE(0x020f, 0x206);
  b.writeBigUInt64LE(BigInt(prefAddress), 0x258);
  b.writeUInt32LE(initSize, 0x260);
  writeFileSync(file, b);
  return file;
}

const localRun: Run = (argv, opts) =>
  new Promise((resolve) => {
    const child = execFile(argv[0], argv.slice(1), (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (opts?.stdin !== undefined) child.stdin?.end(opts.stdin);
  });

const facts = (over: Partial<HostFacts> = {}): HostFacts => ({
  paths: new Map(), kernels: new Map(), ramdisks: new Map(), bridges: new Map(), pciDevices: new Map(),
  domains: [], configNames: [], assignable: new Set(), ...over,
});
const kernel8 = { kind: 'f' as const, sizeBytes: 8 * MiB, prefAddress: 16 * MiB, initSize: 66678784 };
const subject = (text: string, currentName: string | null = 'g1') => ({ text, configPath: '/etc/xen/g1.cfg', currentName });
const problems = (text: string, f: HostFacts, currentName?: string | null) => configProblems(subject(text, currentName), XlCfg.parse(text), f);

describe('the host script', () => {
  it('reads the boot header of a bzImage, the unpacked size of a gzip ramdisk, and says what is missing', async () => {
    const k = bzImage(path.join(dir, 'vmlinuz'), 16 * MiB, 66678784);
    const rd = path.join(dir, 'initrd.gz');
    writeFileSync(rd, gzipSync(Buffer.alloc(2555904, 7)));
    const plain = path.join(dir, 'plain-kernel');
    writeFileSync(plain, 'not a bzImage, long enough?'.repeat(40));
    const tiny = path.join(dir, 'tiny-kernel');
    writeFileSync(tiny, 'HdrS');
    const q = new Questions();
    q.kernel(k);
    q.kernel(plain);
    q.kernel(tiny);
    q.kernel(path.join(dir, 'gone'));
    q.ramdisk(rd);
    q.path(dir);
    q.path(path.join(dir, "it's \"quoted\" $(true)"));
    q.bridge('hcbr9');
    q.pci('0000:ff:1f.7');
    const f = await askHost(localRun, q);
    expect(f.kernels.get(k)).toEqual({ kind: 'f', sizeBytes: 0x300 + 4096, prefAddress: 16 * MiB, initSize: 66678784 });
    expect(f.kernels.get(plain)).toMatchObject({ kind: 'f', prefAddress: null, initSize: null });
    expect(f.kernels.get(tiny)).toEqual({ kind: 'f', sizeBytes: 4, prefAddress: null, initSize: null });
    expect(f.kernels.get(path.join(dir, 'gone'))?.kind).toBe('-');
    expect(f.ramdisks.get(rd)).toMatchObject({ kind: 'f', unpackedBytes: 2555904 });
    expect(f.paths.get(dir)).toBe('d');
    expect(f.paths.get(path.join(dir, "it's \"quoted\" $(true)"))).toBe('-');
    expect(f.bridges.get('hcbr9')).toBe(false);
    expect(f.pciDevices.get('0000:ff:1f.7')).toBe(false);
  });
});

describe('the problems', () => {
  it('a missing kernel names the key, the line and the path', () => {
    const text = 'name = "g1"\n# boot\nkernel = "/boot/none"\nmemory = 256\n';
    expect(problems(text, facts({ kernels: new Map([['/boot/none', { kind: '-', sizeBytes: 0, prefAddress: null, initSize: null }]]) }))).toEqual([
      { key: 'kernel', line: 3, code: 'kernel.missing', severity: 'error', message: 'Line 3: kernel names /boot/none, which does not exist on the host; xl cannot start the guest.' },
    ]);
  });

  it('64 MiB with the 8 MiB kit kernel is below its floor, with the reason; the floor itself passes', () => {
    const f = facts({ kernels: new Map([['/k', kernel8]]), ramdisks: new Map([['/rd', { kind: 'f', sizeBytes: 1187519, unpackedBytes: 2555904 }]]) });
    const floor = memoryFloorMiB('pv', kernel8, f.ramdisks.get('/rd'), null)!;
    // 16 MiB + 63.6 MiB + 2.4 MiB + 4 MiB, rounded up.
    expect(floor).toBe(87);
    const low = problems('name = "g1"\nkernel = "/k"\nramdisk = "/rd"\nmemory = 64\n', f);
    expect(low).toHaveLength(1);
    expect(low[0]).toMatchObject({ key: 'memory', line: 4, code: 'memory.belowFloor', severity: 'error', params: { memory: 64, floor: 87 } });
    expect(low[0].message).toBe(
      'Line 4: memory = 64 MiB is below the 87 MiB this PV guest needs: the kernel /k needs 79.6 MiB to unpack and run and the ramdisk /rd 2.4 MiB unpacked, plus xl\'s and the kernel\'s own overhead. Give it at least 87 MiB.',
    );
    expect(problems(`name = "g1"\nkernel = "/k"\nramdisk = "/rd"\nmemory = ${floor}\n`, f)).toEqual([]);
    // HVM: videoram (8 MiB by default) and the BIOS area come out of memory= too.
    expect(memoryFloorMiB('hvm', kernel8, f.ramdisks.get('/rd'), null)).toBe(96);
    expect(memoryFloorMiB('pv', { ...kernel8, initSize: null }, undefined, null)).toBeNull();
  });

  it('an unknown bridge, a missing disk, an empty CD-ROM, maxmem, vcpus', () => {
    const text = [
      'name = "g1"',
      'memory = 512',
      'maxmem = 256',
      'vcpus = 4',
      'maxvcpus = 2',
      "vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0', 'bridge=br9' ]",
      "disk = [ 'format=raw, vdev=xvda, access=rw, target=/img/a.img', '/img/b.iso,raw,hdc:cdrom,r', 'format=empty, vdev=hdd, devtype=cdrom' ]",
    ].join('\n');
    const f = facts({ bridges: new Map([['xenbr0', true], ['br9', false]]), paths: new Map([['/img/a.img', '-'], ['/img/b.iso', '-']]) });
    expect(problems(text, f).map((p) => [p.code, p.severity, p.message])).toEqual([
      ['vif.bridge', 'error', 'Line 6: vif names the bridge br9, which is not a bridge on the host; xl cannot attach the network interface.'],
      ['disk.missing', 'error', 'Line 7: disk entry 1: /img/a.img does not exist on the host; xl cannot start the guest.'],
      ['disk.cdromMissing', 'warning', 'Line 7: disk entry 2: /img/b.iso does not exist on the host; the CD-ROM drive will start empty.'],
      ['maxmem.belowMemory', 'error', 'Line 3: maxmem = 256 MiB is less than memory = 512 MiB; maxmem must be at least memory.'],
      ['vcpus.aboveMax', 'error', 'Line 4: vcpus = 4 is more than maxvcpus = 2; vcpus must be at most maxvcpus.'],
    ]);
  });

  it('PCI: a device not on the host, one not assignable (an error when new, a warning when already in the config), seize=1 passes', () => {
    const text = "name = \"g1\"\npci = [ '0000:00:05.0', '00:06.0,permissive=1', '0000:00:07.0,seize=1', '0000:00:08.0' ]\n";
    const f = facts({
      pciDevices: new Map([['0000:00:05.0', true], ['0000:00:06.0', true], ['0000:00:07.0', true], ['0000:00:08.0', false]]),
      assignable: new Set(['0000:00:05.0']),
    });
    const base = XlCfg.parse("name = \"g1\"\npci = [ '0000:00:06.0' ]\n");
    const ps = configProblems(subject(text), XlCfg.parse(text), f, { baseCfg: base });
    expect(ps.map((p) => [p.code, p.severity])).toEqual([['pci.notAssignable', 'warning'], ['pci.missing', 'error']]);
    expect(ps[0].message).toBe('Line 2: pci names the PCI device 0000:00:06.0, which is not assignable (xl pci-assignable-list); the guest will not start until it is made assignable.');
    expect(ps[1].message).toBe('Line 2: pci names the PCI device 0000:00:08.0, which is not on the host.');
    const fresh = configProblems(subject(text), XlCfg.parse(text), f, { baseCfg: null });
    expect(fresh.find((p) => p.code === 'pci.notAssignable')?.severity).toBe('error');
  });

  it('names: another config with the name, a running domain with it (unless it is this guest)', () => {
    const text = 'name = "web"\n';
    expect(problems(text, facts({ configNames: [{ path: '/etc/xen/web.cfg', name: 'web' }] }))[0].message).toBe(
      'Line 1: name "web" is also the name in /etc/xen/web.cfg; two guests cannot share a name.',
    );
    expect(problems(text, facts({ configNames: [{ path: '/etc/xen/g1.cfg', name: 'web' }] }))).toEqual([]);
    expect(problems(text, facts({ domains: ['Domain-0', 'web'] }), 'g1')[0].code).toBe('name.running');
    expect(problems(text, facts({ domains: ['Domain-0', 'web'] }), 'web')).toEqual([]);
  });

  it('keyLine finds the last setting of a key, not a comment or a longer key', () => {
    expect(keyLine('# memory = 1\nmaxmem = 2\nmemory = 3\nmemory += 4\n', 'memory')).toBe(4);
    expect(keyLine('maxmem = 2\n', 'memory')).toBeNull();
  });

  it('introduced: what an edit added, whatever line it moved to', () => {
    const before = problems('name = "g1"\nmaxmem = 1\nmemory = 2\n', facts());
    const after = problems('name = "g1"\n\nmaxmem = 1\nmemory = 2\nvcpus = 3\nmaxvcpus = 1\n', facts());
    expect(introduced(before, after).map((p) => p.code)).toEqual(['vcpus.aboveMax']);
  });
});

describe('the config index', () => {
  it('carries each config\'s mtime, size and inode, so a changed content is told apart without reading it', async () => {
    const { parseConfigGrep } = await import('../../../electron/drivers/xl/configIndex');
    const out = '/etc/xen/a.cfg:name = "a"\n/etc/xen/b.cfg:name = "b"\n/etc/xen/b.cfg:uuid = "AB"\n@@stamp 1764754000.123456789 456 12 /etc/xen/a.cfg\n@@stamp 1764754001.000000000 10 13 /etc/xen/b.cfg\n';
    expect(parseConfigGrep(out)).toEqual([
      { path: '/etc/xen/a.cfg', name: 'a', uuid: null, stamp: '1764754000.123456789 456 12' },
      { path: '/etc/xen/b.cfg', name: 'b', uuid: 'ab', stamp: '1764754001.000000000 10 13' },
    ]);
  });
});

describe('a small edit (CPU, PCI)', () => {
  it('is refused for an error it introduces, and only reports what the config already had', async () => {
    const k = bzImage(path.join(dir, 'vmlinuz-edit'), 16 * MiB, 66678784);
    const before = `name = "g1"\nkernel = "${k}"\nramdisk = "${dir}/missing-initrd"\nmemory = 128\nvcpus = 1\n`;
    const lower = await checkEdit(localRun, '/etc/xen/g1.cfg', before, before.replace('memory = 128', 'memory = 64'));
    expect(lower.introducedErrors.map((p) => p.code)).toEqual(['memory.belowFloor']);
    const more = await checkEdit(localRun, '/etc/xen/g1.cfg', before, before.replace('vcpus = 1', 'vcpus = 2'));
    expect(more.introducedErrors).toEqual([]);
    expect(more.others.map((p) => p.code)).toEqual(['ramdisk.missing']);
  });
});

// The review's summary after a hand edit follows the text that will be written: the backend reads
// the edited config (boot, CPU, memory, network) the way xl would.
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../../electron/drivers/xl/create/config';
import { describeConfig } from '../../../electron/drivers/xl/create/summary';
import { answersSummary } from '../../../renderer/src/components/create/draft';
import { hvmAnswers, pvAnswers } from './fixtures';

describe('describing a config for the review summary', () => {
  it('kernel lines added by hand to an HVM config that booted its disk: the summary says kernel boot', () => {
    const generated = buildConfig(hvmAnswers({ boot: { kind: 'disk' }, pci: [] }));
    expect(describeConfig(generated).summary?.boot).toEqual({ kind: 'disk' });
    const edited = `${generated}kernel = "/root/kit/vmlinuz"\nramdisk = "/root/kit/initrd.gz"\ncmdline = "console=ttyS0"\n`;
    expect(describeConfig(edited)).toEqual({
      summary: expect.objectContaining({ name: 'wz-hvm', type: 'hvm', boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: 'console=ttyS0' } }),
      problem: null,
    });
  });

  it('every generated config reads back as the answers say', () => {
    for (const a of [pvAnswers(), hvmAnswers(), pvAnswers({ boot: { kind: 'pygrub' } }), hvmAnswers({ boot: { kind: 'network' } })]) {
      expect(describeConfig(buildConfig(a)).summary).toEqual(answersSummary(a));
    }
  });

  it('memory, vCPUs and cards from the text; keys left out are null (xl\'s default); root= and extra= join as xl joins them', () => {
    const s = describeConfig('name = "x"\nbuilder = "hvm"\nmemory = 0x200\nvif = [ "bridge=br1", "mac=00:16:3e:00:00:09,model=e1000" ]\nboot = "n"\n').summary!;
    expect([s.type, s.memoryMiB, s.maxMemoryMiB, s.vcpus, s.maxVcpus, s.boot]).toEqual(['hvm', 512, 512, null, null, { kind: 'network' }]);
    expect(s.nics).toEqual([{ bridge: 'br1', mac: null, model: null }, { bridge: null, mac: '00:16:3e:00:00:09', model: 'e1000' }]);
    expect(describeConfig('kernel = "/k"\nroot = "/dev/xvda1"\nextra = "quiet"\n').summary!.boot).toEqual({ kind: 'kernel', kernel: '/k', ramdisk: null, cmdline: 'root=/dev/xvda1 quiet' });
    expect(describeConfig('type = "pv"\n').summary!.boot).toEqual({ kind: 'none' });
    // boot= defaults to "cd" (the disk first); "d" is the CD-ROM drive with its ISO.
    const cd = 'type = "hvm"\ndisk = [ "format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/i.iso" ]\n';
    expect(describeConfig(cd).summary!.boot).toEqual({ kind: 'disk' });
    expect(describeConfig(`${cd}boot = "d"\n`).summary!.boot).toEqual({ kind: 'iso', iso: '/i.iso' });
  });

  it('text xl could not read: no summary, the reader\'s reason', () => {
    const r = describeConfig('memory = = 3\n');
    expect(r.summary).toBeNull();
    expect(r.problem).toMatch(/line 1/i);
  });
});

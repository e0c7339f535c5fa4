// An HVM guest made by the create wizard's backend to boot the kit's kernel directly reaches its
// shell on the serial console. Under TCG SeaBIOS hands over to the kernel minutes after the start
// and the prompt comes later (about ten minutes in all), so this runs by hand, not in CI:
// `npm run test:lab -- --long`. The guest is hw-hvmboot and is removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLabBackend, type LabBackend } from '../backend';
import { GuestConsole } from '../console';
import { destroyGuest } from '../guests';
import { LabHost } from '../labHost';
import { HVM_CMDLINE, kitAnswers } from '../wizardAnswers';

const NAME = 'hw-hvmboot';

describe('lab: wizard, long (HVM kernel boot)', () => {
  let lab: LabHost;
  let b: LabBackend;
  const cleanup = async () => {
    await destroyGuest(lab, NAME);
    await lab.run(['rm', '-f', `/etc/xen/${NAME}.cfg`]);
  };
  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup();
    b = await connectLabBackend(lab, 'wizard-long');
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    if (lab) await cleanup();
    lab?.close();
  });

  it('lab: wizard — the HVM guest booted from its kernel reaches its shell on the serial console', async () => {
    const a = kitAnswers(NAME, { type: 'hvm', boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: HVM_CMDLINE }, memoryMiB: 256, maxMemoryMiB: 256 });
    const pre = await b.backend['create.preview']({ hostId: b.hostId, answers: a });
    expect(pre.problems).toEqual([]);
    // As a user would in the review's editor: rdtscp hidden (the lab's emulated CPU needs it), and
    // a guest that resets is destroyed rather than booted again.
    const edited = `${pre.configText.replace('on_reboot = "restart"', 'on_reboot = "destroy"')}cpuid = "host,rdtscp=0"\n`;
    await b.backend['create.create']({ hostId: b.hostId, answers: a, configText: edited, start: true });
    const con = await GuestConsole.open(lab, NAME, { type: 'serial', attempts: 2, promptTimeoutMs: 900_000 });
    try {
      expect((await con.run('cat /sys/hypervisor/guest_type')).trim()).toBe('HVM');
      expect(await con.run('cat /proc/cmdline')).toContain('rdinit=/hvminit');
    } finally {
      con.close();
    }
  });
});

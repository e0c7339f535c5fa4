// The create wizard's backend on the lab: an HVM guest booting the kit's kernel and initrd directly
// (QEMU loads them: kernel=, ramdisk=, cmdline=), and memory above what the host has free, which
// makes a config for later but refuses a start. Every guest and config is named hw-* and removed.
// That such a guest reaches its shell takes ten minutes under TCG: test/lab/suite-long.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomusError } from '../../../electron/api/errors';
import { connectLabBackend, type LabBackend } from '../backend';
import { destroyGuest, domainExists } from '../guests';
import { LabHost } from '../labHost';
import { HVM_CMDLINE, kitAnswers } from '../wizardAnswers';

async function cleanup(lab: LabHost): Promise<void> {
  const names = (await lab.run(['sh', '-c', "xl list | awk 'NR>1 && $1 ~ /^hw-/ {print $1}'"])).stdout.split('\n').filter(Boolean);
  for (const n of names) await destroyGuest(lab, n);
  await lab.run(['sh', '-c', 'rm -f /etc/xen/hw-*.cfg /etc/xen/.hw-*.cfg.domus-*']);
}

describe('lab: wizard (create backend)', () => {
  let lab: LabHost;
  let b: LabBackend;
  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup(lab);
    b = await connectLabBackend(lab, 'wizard');
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    if (lab) await cleanup(lab);
    lab?.close();
  });

  it('lab: wizard — an HVM guest with the kit kernel: xl create -n accepts the generated config, Domus creates and starts it', async () => {
    const a = kitAnswers('hw-hvmk', { type: 'hvm', boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: HVM_CMDLINE }, memoryMiB: 256, maxMemoryMiB: 256 });
    const pre = await b.backend['create.preview']({ hostId: b.hostId, answers: a });
    expect(pre.problems).toEqual([]);
    expect(pre.configText).toContain('kernel = "/root/kit/vmlinuz"');
    expect(pre.configText).toContain('ramdisk = "/root/kit/initrd.gz"');
    expect(pre.configText).toContain(`cmdline = "${HVM_CMDLINE}"`);
    // xl itself accepts the generated config as it is.
    expect(await b.backend['create.dryRun']({ hostId: b.hostId, configText: pre.configText })).toEqual({ ok: true, message: null, detail: null });
    // As the kit's hvm.cfg has it, edited the way a user would in the review's editor: rdtscp
    // hidden (the lab's emulated CPU needs it), and a guest that resets is destroyed rather than
    // booted again (under TCG each boot costs dom0 minutes of device-model work).
    const edited = `${pre.configText.replace('on_reboot = "restart"', 'on_reboot = "destroy"')}cpuid = "host,rdtscp=0"\n`;
    expect(edited).toContain('on_reboot = "destroy"');
    const res = await b.backend['create.create']({ hostId: b.hostId, answers: a, configText: edited, start: true });
    expect(res).toEqual({ name: 'hw-hvmk', configPath: '/etc/xen/hw-hvmk.cfg', created: ['/etc/xen/hw-hvmk.cfg'], started: true });
    // libxl built an HVM domain that boots this kernel directly.
    const info = JSON.parse(await lab.ok(['xl', 'list', '-l', 'hw-hvmk'])) as { config: { c_info: { type: string }; b_info: { kernel: string; ramdisk: string; cmdline: string } } }[];
    expect(info[0].config.c_info.type).toBe('hvm');
    expect(info[0].config.b_info).toMatchObject({ kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: HVM_CMDLINE });
    await destroyGuest(lab, 'hw-hvmk');
  }, 300_000);

  it('lab: wizard — memory above free: created without starting, refused when it is to start', async () => {
    const free = (await b.backend['create.facts']({ hostId: b.hostId })).freeMemoryMiB;
    const big = { memoryMiB: free + 512, maxMemoryMiB: free + 512 };
    // Created for later: the config is written, nothing runs, and the preview only warns.
    const pre = await b.backend['create.preview']({ hostId: b.hostId, answers: kitAnswers('hw-big', big) });
    expect(pre.problems.map((p) => [p.code, p.severity])).toEqual([['cpu.memoryAboveFree', 'warning']]);
    const res = await b.backend['create.create']({ hostId: b.hostId, answers: kitAnswers('hw-big', big), configText: null, start: false });
    expect(res).toEqual({ name: 'hw-big', configPath: '/etc/xen/hw-big.cfg', created: ['/etc/xen/hw-big.cfg'], started: false });
    expect(await lab.ok(['cat', '/etc/xen/hw-big.cfg'])).toContain(`memory = ${free + 512}`);
    expect(await domainExists(lab, 'hw-big')).toBe(false);
    // To be started now: refused by the host's free memory at that moment, nothing made.
    const err = await b.backend['create.create']({ hostId: b.hostId, answers: kitAnswers('hw-big2', big), configText: null, start: true }).then(
      () => { throw new Error('expected a refusal'); },
      (e: DomusError) => e,
    );
    expect(err).toBeInstanceOf(DomusError);
    expect(err.message).toMatch(/is more than the \d+ MiB the host has free, so the guest cannot start now: give it less memory, or create it without starting\. Nothing was created\.$/);
    expect((await lab.run(['test', '-e', '/etc/xen/hw-big2.cfg'])).code).not.toBe(0);
  }, 300_000);
});

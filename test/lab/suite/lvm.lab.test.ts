// The lab's dom0 has no LVM tools. Creating a guest there must not record a failing `vgs` step
// ("bash: vgs: command not found", exit code 127) in every create task: the backend asks once per
// connection whether the host has LVM and then leaves vgs alone. The guest is a config only
// (hx-lvm, not started, no disks) and is removed afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLabBackend, type LabBackend } from '../backend';
import { LabHost } from '../labHost';
import type { CreateAnswers } from '../../../electron/api/create';

const NAME = 'hx-lvm';
const CONFIG = `/etc/xen/${NAME}.cfg`;
const answers: CreateAnswers = {
  name: NAME, type: 'pv',
  boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: 'console=hvc0' },
  vcpus: 1, maxVcpus: 1, memoryMiB: 128, maxMemoryMiB: 128,
  disks: [], nics: [], pci: [], passthroughEnabled: false, vnc: false, vncPassword: null,
};

describe('lab: create on a host without LVM', () => {
  let lab: LabHost;
  let b: LabBackend;
  beforeAll(async () => {
    lab = await LabHost.connect();
    await lab.run(['rm', '-f', CONFIG]);
    b = await connectLabBackend(lab, 'lvm');
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    if (lab) await lab.run(['rm', '-f', CONFIG]);
    lab?.close();
  });

  it('lab: create without LVM — no vgs step in the create tasks, no volume groups offered', async () => {
    expect((await lab.run(['sh', '-c', 'command -v vgs'])).code).not.toBe(0);
    const facts = await b.backend['create.facts']({ hostId: b.hostId });
    expect(facts.volumeGroups).toEqual([]);
    for (let i = 0; i < 2; i++) {
      await b.backend['create.create']({ hostId: b.hostId, answers, configText: null, start: false });
      await lab.run(['rm', '-f', CONFIG]);
    }
    const creates = (await b.backend['tasks.list']({})).filter((t) => t.action === 'guest.create' && t.target === NAME);
    expect(creates.map((t) => t.state)).toEqual(['succeeded', 'succeeded']);
    const steps = creates.flatMap((t) => t.steps);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.filter((s) => s.command.startsWith('vgs') || s.exitCode === 127)).toEqual([]);
  });
});

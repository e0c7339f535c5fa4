// Disks in use, end to end on the lab: hd-a is started in a shell from a config Domus never saw
// (/tmp), writing hd-a.img and reading hd-ro.img. Through the contract, a second guest using
// hd-a.img read-write (by a symlink: the same file) is refused in the wizard, in Duplicate, in the
// config editor and at Start, each naming hd-a; dom0's root disk is refused with no override; a
// typed confirmation shares a disk on purpose and is in the task's record; read-only sharing works
// (hd-b runs beside hd-a on hd-ro.img); Delete lists hd-b's .bak and its save image and flags the
// disk it shares. Then the editor's refusal text is checked in Chromium. Everything is named hd-*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import type { ApiError } from '../../../electron/api/errors';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';
import { GuestConsole } from '../console';
import { destroyGuest, domainExists } from '../guests';
import { LabHost } from '../labHost';
import { addLabHost } from '../ui';
import type { CreateAnswers } from '../../../electron/api/create';
import { until } from '../../support/wait';

const IMAGES = '/var/lib/xen/images';
const A_IMG = `${IMAGES}/hd-a.img`;
const A_LINK = `${IMAGES}/hd-a-link.img`;
const RO_IMG = `${IMAGES}/hd-ro.img`;
const B_CFG = '/etc/xen/hd-b.cfg';
const C_CFG = '/etc/xen/hd-c.cfg';
const B_SAVE = '/var/lib/xen/save/hd-b.save';

/** The kit's PV guest in the wizard's answers, with one existing disk. */
const wizardAnswers = (name: string, path: string): CreateAnswers => ({
  name, type: 'pv',
  boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: 'console=hvc0 rdinit=/init loglevel=4' },
  vcpus: 1, maxVcpus: 1, memoryMiB: 128, maxMemoryMiB: 128,
  disks: [{ kind: 'existing', path, format: 'raw' }], nics: [], pci: [], passthroughEnabled: false, vnc: false, vncPassword: null,
});

const kitCfg = (name: string, disks: string[]) =>
  `sed 's/^name *=.*/name = "${name}"/' /root/kit/pv.cfg\necho 'disk = [ ${disks.map((d) => `"${d}"`).join(', ')} ]'`;

async function cleanup(lab: LabHost): Promise<void> {
  const names = (await lab.run(['sh', '-c', "xl list | awk 'NR>1 && $1 ~ /^hd-/ {print $1}'"])).stdout.split('\n').filter(Boolean);
  for (const n of names) await destroyGuest(lab, n);
  await lab.run(['sh', '-c', `rm -f /etc/xen/hd-* /etc/xen/.hd-* /etc/xen/auto/hd-* ${IMAGES}/hd-* /var/lib/xen/save/hd-* /tmp/hd-a.cfg`]);
}

describe('lab: safety — disks in use', () => {
  let lab: LabHost;
  let b: LabBackend;
  let app: BrowserApp | undefined;
  let api: ReturnType<typeof labCalls>;
  const guestId = async (name: string) =>
    until(`${name} in the inventory`, async () => (await b.backend['guests.list']({ hostId: b.hostId })).find((g) => g.name === name)?.id, 120_000);
  /** The call fails (inside its task: the host was asked) and the error is returned. */
  const refusedBy = async (p: Promise<unknown>): Promise<ApiError> =>
    p.then(() => { throw new Error('expected a refusal'); }, (e: ApiError) => e);
  const lastTask = async (action: string) => (await b.backend['tasks.list']({})).filter((t) => t.action === action).at(-1)!;

  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup(lab);
    const r = await lab.script(`set -e; mkdir -p /var/lib/xen/save ${IMAGES}
      qemu-img create -q -f raw ${A_IMG} 8M; qemu-img create -q -f raw ${RO_IMG} 8M; ln -s ${A_IMG} ${A_LINK}
      { ${kitCfg('hd-b', [`format=raw, vdev=xvda, access=ro, target=${RO_IMG}`])}; } > ${B_CFG}`);
    expect(r.code, r.stderr).toBe(0);
    b = await connectLabBackend(lab, 'hd');
    api = labCalls(b);
    // Started in a shell a moment before the checks, from a config Domus never saw.
    const s = await lab.script(`set -e; { ${kitCfg('hd-a', [`format=raw, vdev=xvda, access=rw, target=${A_IMG}`, `format=raw, vdev=xvdb, access=ro, target=${RO_IMG}`])}; } > /tmp/hd-a.cfg
      ok=; for i in 1 2 3; do if xl create /tmp/hd-a.cfg; then ok=1; break; fi; sleep 10; done; [ -n "$ok" ]`, 300_000);
    expect(s.code, s.stderr).toBe(0);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await b?.close();
    if (lab) await cleanup(lab);
    lab?.close();
  }, 300_000);

  it('lab: safety — a second writer of a running guest\'s disk is refused in the wizard, Duplicate, the editor and at Start, naming it', async () => {
    const sharedA = /hd-a-link\.img is in use by hd-a \(read-write, running\)/;

    // Wizard: preview says it on the storage page; create refuses before making anything.
    const answers = wizardAnswers('hd-w', A_LINK);
    const pre = await api.call('create.preview', { answers });
    expect(pre.problems).toContainEqual(expect.objectContaining({ page: 'storage', code: 'storage.inUse', severity: 'error', params: expect.objectContaining({ users: 'hd-a (read-write, running)' }) }));
    const wiz = await refusedBy(api.call('create.create', { answers, configText: null, start: false }));
    expect(wiz.code).toBe('conflict');
    expect(wiz.message).toMatch(sharedA);
    expect(wiz.message).toContain('Nothing was created.');
    expect((await lab.run(['test', '-e', '/etc/xen/hd-w.cfg'])).code).not.toBe(0);

    // Editor: hd-b's config gains hd-a's image read-write: refused, the file unchanged.
    const bId = await guestId('hd-b');
    const base = await api.call('guests.readConfig', { guestId: bId });
    const withA = base.text.replace(/^disk = \[ (.*) \]$/m, `disk = [ $1, "format=raw, vdev=xvdc, access=rw, target=${A_LINK}" ]`);
    expect(withA).not.toBe(base.text);
    const ed = await refusedBy(api.call('guests.writeConfig', { guestId: bId, text: withA, baseText: base.text }));
    expect(ed.code).toBe('conflict');
    expect(ed.message).toMatch(sharedA);
    expect(await lab.ok(['cat', B_CFG])).toBe(base.text);

    // dom0's root disk: refused, and a typed confirmation does not change that.
    const withRoot = base.text.replace(/^disk = \[ (.*) \]$/m, 'disk = [ $1, "phy:/dev/vda,xvdd,w" ]');
    const root = await refusedBy(api.call('guests.writeConfig', { guestId: bId, text: withRoot, baseText: base.text, sharedDisks: ['/dev/vda'] }));
    expect(root.message).toMatch(/\/dev\/vda is in use by dom0 \(mounted at \/\)/);

    // Start: a config written by hand in a shell with hd-a's image read-write.
    await lab.ok(['sh', '-c', `{ ${kitCfg('hd-c', [`format=raw, vdev=xvda, access=rw, target=${A_IMG}`])}; } > ${C_CFG}`]);
    const cId = await guestId('hd-c');
    const st = await refusedBy(api.call('guests.start', { guestId: cId }));
    expect(st.code).toBe('conflict');
    expect(st.message).toMatch(/hd-a\.img is in use by hd-a \(read-write, running\).*hd-c was not started/);
    expect(await domainExists(lab, 'hd-c')).toBe(false);

    // Duplicate hd-c sharing its disk: refused, naming hd-a (running) and hd-c's own config.
    const dup = await refusedBy(api.call('create.duplicate', { guestId: cId, name: 'hd-d', start: false, disks: [{ source: A_IMG, mode: 'share', path: null, format: null, sizeMiB: null }] }));
    expect(dup.code).toBe('conflict');
    expect(dup.message).toMatch(/in use by hd-a \(read-write, running\), hd-c \(read-write, stopped\)/);
    expect((await lab.run(['test', '-e', '/etc/xen/hd-d.cfg'])).code).not.toBe(0);
    // Every refusal ran as a task that failed with the reason: the host was asked at that moment.
    expect((await lastTask('guest.duplicate')).error?.message).toMatch(/hd-a/);
  }, 900_000);

  it('lab: safety — read-only sharing works and is said; a typed confirmation shares on purpose and is in the task log', async () => {
    const bId = await guestId('hd-b');
    // hd-b reads hd-ro.img, which running hd-a reads too: it starts.
    await api.call('guests.start', { guestId: bId });
    expect(await domainExists(lab, 'hd-b')).toBe(true);
    expect((await lastTask('guest.start')).notes).toEqual([expect.stringMatching(/hd-ro\.img is shared read-only with hd-a \(read-only, running\)/)]);

    // The editor with the confirmation typed for hd-a's image: written, and the task says so.
    const base = await api.call('guests.readConfig', { guestId: bId });
    const withA = base.text.replace(/^disk = \[ (.*) \]$/m, `disk = [ $1, "format=raw, vdev=xvdc, access=rw, target=${A_LINK}" ]`);
    const w = await api.call('guests.writeConfig', { guestId: bId, text: withA, baseText: base.text, sharedDisks: [A_LINK] });
    expect(w.backupPath).toBe(`${B_CFG}.bak`);
    expect((await lastTask('guest.editConfig')).notes).toContainEqual(expect.stringMatching(/^Override \(typed confirmation\): .*hd-a-link\.img is shared read-write with hd-a \(read-write, running\)/));
    // Put back as it was (the confirmation is not needed to drop the disk again).
    await api.call('guests.writeConfig', { guestId: bId, text: base.text, baseText: withA });
  }, 900_000);

  it('lab: safety — delete lists the .bak and the save image and flags the shared disk', async () => {
    const bId = await guestId('hd-b');
    // A save image written for hd-b (the kit's shell answering means it can suspend).
    (await GuestConsole.open(lab, 'hd-b')).close();
    await api.call('guests.save', { guestId: bId, path: B_SAVE });
    const plan = await api.call('guests.deletePlan', { guestId: bId });
    expect(plan.extras.map((e) => [e.kind, e.path])).toEqual([['backup', `${B_CFG}.bak`], ['save', B_SAVE]]);
    const ro = plan.disks.find((d) => d.target === RO_IMG)!;
    expect(ro.usedBy).toEqual([{ guest: 'hd-a', access: 'ro', running: true, what: null }]);
    // Ticking the shared disk without typing its path is refused; nothing is deleted.
    const del = await refusedBy(api.call('guests.delete', { guestId: bId, disks: [RO_IMG] }));
    expect(del.message).toMatch(/also used by hd-a \(read-only, running\); type its path/);
    expect((await lab.run(['test', '-e', B_CFG])).code).toBe(0);
    const { removed } = await api.call('guests.delete', { guestId: bId, disks: [], extras: [`${B_CFG}.bak`, B_SAVE] });
    expect(removed).toEqual([B_CFG, `${B_CFG}.bak`, B_SAVE]);
    expect((await lab.run(['sh', '-c', `ls ${B_CFG}* ${B_SAVE} 2>/dev/null`])).stdout).toBe('');
    expect((await lab.run(['test', '-e', RO_IMG])).code).toBe(0);
  }, 900_000);
});

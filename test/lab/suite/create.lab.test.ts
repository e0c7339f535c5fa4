// Guest creation end to end on the lab: first through the backend API the wizard calls (PV with a
// new raw and a new vhd disk on xenbr0; PVH with the review's advanced edit adding the cpuid line
// the lab needs; refusals that leave the host unchanged; duplicate), then the wizard itself in
// Chromium. Every guest, config and image is named wz-* and removed afterwards.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import type { CreateAnswers } from '../../../electron/api/create';
import { DomusError } from '../../../electron/api/errors';
import { connectLabBackend, type LabBackend } from '../backend';
import { GuestConsole } from '../console';
import { destroyGuest, domainExists } from '../guests';
import { LabHost } from '../labHost';
import { addLabHost } from '../ui';
import { installTap, waitForTail } from '../consoleTap';
import { until } from '../../support/wait';

/** A DomusError with its detail (xl's own words) in the test's failure message. */
async function withDetail<T>(p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    throw e instanceof DomusError ? new Error(`${e.message}\n${e.detail ?? ''}`) : e;
  });
}

const IMAGES = '/var/lib/xen/images';
const KIT_CMDLINE = 'console=hvc0 rdinit=/init loglevel=4';

/** Everything this file may have made: domains, configs and images named wz-*. */
export async function cleanupWizard(lab: LabHost): Promise<void> {
  const names = (await lab.run(['sh', '-c', "xl list | awk 'NR>1 && $1 ~ /^wz-/ {print $1}'"])).stdout.split('\n').filter(Boolean);
  for (const n of names) await destroyGuest(lab, n);
  await lab.run(['sh', '-c', `rm -f /etc/xen/wz-*.cfg /etc/xen/.wz-*.cfg.domus-* ${IMAGES}/wz-*`]);
}

/** The host's wz-* state: configs, images, domains (compared before and after a refusal). */
async function wizardState(lab: LabHost): Promise<string> {
  return (await lab.run(['sh', '-c', `ls -1a /etc/xen ${IMAGES} | grep wz- ; xl list | awk '{print $1}' | grep wz- ; true`])).stdout;
}

export function kitPvAnswers(name: string, over: Partial<CreateAnswers> = {}): CreateAnswers {
  return {
    name,
    type: 'pv',
    boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: KIT_CMDLINE },
    vcpus: 1,
    maxVcpus: 1,
    memoryMiB: 128,
    maxMemoryMiB: 128,
    disks: [
      { kind: 'new', path: `${IMAGES}/${name}.img`, format: 'raw', sizeMiB: 64 },
      { kind: 'new', path: `${IMAGES}/${name}-2.vhd`, format: 'vhd', sizeMiB: 32 },
    ],
    nics: [{ bridge: 'xenbr0', mac: '00:16:3e:5a:00:01', model: null }],
    pci: [],
    passthroughEnabled: false,
    vnc: false,
    vncPassword: null,
    ...over,
  };
}

/**
 * The kit's shell on a new guest's console. Under TCG a PVH guest sometimes triple-faults in early
 * boot and xl restarts it (on_reboot = "restart", a new domid, no console tty for a moment), so
 * opening is retried for a few minutes rather than failing on the first restart.
 */
async function openConsole(lab: LabHost, name: string): Promise<GuestConsole> {
  const end = Date.now() + 240_000;
  for (;;) {
    try {
      return await GuestConsole.open(lab, name, { attempts: 2 });
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

async function qemuFormat(lab: LabHost, path: string): Promise<string> {
  return (JSON.parse(await lab.ok(['qemu-img', 'info', '--output=json', path])) as { format: string }).format;
}

describe('lab: create (backend API)', () => {
  let lab: LabHost;
  let b: LabBackend;
  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanupWizard(lab);
    b = await connectLabBackend(lab, 'create');
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    if (lab) await cleanupWizard(lab);
    lab?.close();
  });

  it('lab: create — facts: types from virt_caps, xenbr0, free memory; the file browser lists the kit', async () => {
    const f = await b.backend['create.facts']({ hostId: b.hostId });
    expect(f.types.pv.available).toBe(true);
    expect(f.types.hvm.available).toBe(true);
    expect(f.bridges).toContain('xenbr0');
    expect(f.freeMemoryMiB).toBeGreaterThan(128);
    expect(f.usedNames).toContain('Domain-0');
    const ls = await b.backend['create.browse']({ hostId: b.hostId, dir: '/root/kit' });
    expect(ls.entries.find((e) => e.name === 'vmlinuz')).toMatchObject({ kind: 'file', path: '/root/kit/vmlinuz' });
    await expect(b.backend['create.browse']({ hostId: b.hostId, dir: '/no/such/dir' })).rejects.toThrow(/could not be listed/);
  });

  it('lab: create — a PV guest with a raw and a vhd disk on xenbr0 runs, shows the kit shell, formats as asked', async () => {
    const a = kitPvAnswers('wz-api-pv');
    const pre = await b.backend['create.preview']({ hostId: b.hostId, answers: a });
    expect(pre.problems).toEqual([]);
    expect(pre.disks.map((d) => [d.action, d.vdev, d.format])).toEqual([['create', 'xvda', 'raw'], ['create', 'xvdb', 'vhd']]);
    const res = await withDetail(b.backend['create.create']({ hostId: b.hostId, answers: a, configText: null, start: true }));
    expect(res).toEqual({ name: 'wz-api-pv', configPath: '/etc/xen/wz-api-pv.cfg', created: [`${IMAGES}/wz-api-pv.img`, `${IMAGES}/wz-api-pv-2.vhd`, '/etc/xen/wz-api-pv.cfg'], started: true });
    expect(await lab.ok(['cat', '/etc/xen/wz-api-pv.cfg'])).toBe(pre.configText);
    expect(await qemuFormat(lab, `${IMAGES}/wz-api-pv.img`)).toBe('raw');
    expect(await qemuFormat(lab, `${IMAGES}/wz-api-pv-2.vhd`)).toBe('vpc');
    const con = await GuestConsole.open(lab, 'wz-api-pv');
    try {
      // The kit's busybox shell, with both disks attached as PV block devices.
      expect(await con.run('ls /sys/block')).toMatch(/xvda[\s\S]*xvdb/);
    } finally {
      con.close();
    }
    expect(await lab.ok(['xl', 'network-list', 'wz-api-pv'])).toContain('00:16:3e:5a:00:01');
    // The task log has the commands it ran.
    const task = (await b.backend['tasks.list']({})).find((t) => t.action === 'guest.create' && t.target === 'wz-api-pv');
    expect(task?.state).toBe('succeeded');
    expect(JSON.stringify(task)).toContain('qemu-img create -q -f vpc');
    await destroyGuest(lab, 'wz-api-pv');
  });

  it('lab: create — a PVH guest, the cpuid line added in the advanced editor, checked by xl create -n', async () => {
    const a = kitPvAnswers('wz-api-pvh', { type: 'pvh', disks: [], nics: [] });
    const pre = await b.backend['create.preview']({ hostId: b.hostId, answers: a });
    expect(pre.problems).toEqual([]);
    const bad = await b.backend['create.dryRun']({ hostId: b.hostId, configText: `${pre.configText}memory = lots\n` });
    expect(bad.ok).toBe(false);
    const edited = `${pre.configText}cpuid = "host,rdtscp=0"\n`;
    expect(await b.backend['create.dryRun']({ hostId: b.hostId, configText: edited })).toEqual({ ok: true, message: null, detail: null });
    const res = await b.backend['create.create']({ hostId: b.hostId, answers: a, configText: edited, start: true });
    expect(res.started).toBe(true);
    expect(await lab.ok(['cat', '/etc/xen/wz-api-pvh.cfg'])).toContain('cpuid = "host,rdtscp=0"');
    const con = await openConsole(lab, 'wz-api-pvh');
    try {
      expect(await con.run('echo pvh-$((6*7))')).toContain('pvh-42');
    } finally {
      con.close();
    }
    await destroyGuest(lab, 'wz-api-pvh');
  });

  it('lab: create — a name in use, an existing disk, memory above free and a missing kernel are refused; the host is unchanged', async () => {
    await lab.ok(['sh', '-c', `truncate -s 1M ${IMAGES}/wz-api-taken.img && printf 'name = "wz-api-used"\\n' > /etc/xen/wz-api-used.cfg`]);
    await b.backend['guests.list']({ hostId: b.hostId });
    let before = await wizardState(lab);
    const refuse = async (a: CreateAnswers, message: RegExp) => {
      const err = await b.backend['create.create']({ hostId: b.hostId, answers: a, configText: null, start: true }).then(() => { throw new Error('expected a refusal'); }, (e: DomusError) => e);
      expect(err).toBeInstanceOf(DomusError);
      expect(err.message).toMatch(message);
      expect(err.message).toMatch(/Nothing was created\.$/);
      expect(await wizardState(lab)).toBe(before);
    };
    await refuse(kitPvAnswers('wz-api-used'), /wz-api-used already exists|\/etc\/xen\/wz-api-used\.cfg already exists/);
    await refuse(kitPvAnswers('wz-api-n2', { disks: [{ kind: 'new', path: `${IMAGES}/wz-api-taken.img`, format: 'raw', sizeMiB: 8 }] }), /wz-api-taken\.img already exists on the host; Domus does not overwrite it/);
    const free = (await b.backend['create.facts']({ hostId: b.hostId })).freeMemoryMiB;
    await refuse(kitPvAnswers('wz-api-n3', { memoryMiB: free + 512, maxMemoryMiB: free + 512 }), /more than the \d+ MiB the host has free/);
    await refuse(kitPvAnswers('wz-api-n4', { boot: { kind: 'kernel', kernel: '/root/kit/no-such-vmlinuz', ramdisk: null, cmdline: '' } }), /There is no kernel file \/root\/kit\/no-such-vmlinuz/);
    // The preview lists the same problems page by page, without changing anything.
    const pre = await b.backend['create.preview']({ hostId: b.hostId, answers: kitPvAnswers('wz-api-used', { disks: [{ kind: 'new', path: `${IMAGES}/wz-api-taken.img`, format: 'raw', sizeMiB: 8 }] }) });
    // One problem for the name: the config at its usual path (not that and "name taken" again).
    expect(pre.problems.map((p) => p.code).sort()).toEqual(['name.configExists', 'storage.exists']);
    expect(await lab.ok(['stat', '-c', '%s', `${IMAGES}/wz-api-taken.img`])).toBe('1048576\n');

    // Names are decided by the host at that moment, not by Domus's inventory: a config that
    // names the guest under another file name, written a moment ago, is refused at once…
    await lab.ok(['sh', '-c', `printf 'name = "wz-api-alias"\\n' > /etc/xen/wz-api-other.cfg`]);
    before = await wizardState(lab);
    await refuse(kitPvAnswers('wz-api-alias'), /A guest named wz-api-alias already exists on this host/);
    // …and a guest whose config was removed a moment ago no longer blocks its name, even while the
    // inventory may still list it.
    await until('wz-api-alias in the inventory', async () => (await b.backend['guests.list']({ hostId: b.hostId })).some((g) => g.name === 'wz-api-alias'), 30_000);
    await lab.ok(['rm', '-f', '/etc/xen/wz-api-other.cfg']);
    const gone = await b.backend['create.preview']({ hostId: b.hostId, answers: kitPvAnswers('wz-api-alias') });
    expect(gone.problems.filter((p) => p.page === 'name')).toEqual([]);
  });

  it('lab: create — a failed start rolls back exactly what was made and says so', async () => {
    // xl create -n accepts it; the domain build fails (the "kernel" is not a kernel).
    const a = kitPvAnswers('wz-api-fail', { boot: { kind: 'kernel', kernel: '/root/kit/pv.cfg', ramdisk: null, cmdline: '' }, nics: [] });
    const before = await wizardState(lab);
    const err = await b.backend['create.create']({ hostId: b.hostId, answers: a, configText: null, start: true }).then(() => { throw new Error('expected a refusal'); }, (e: DomusError) => e);
    expect(err).toBeInstanceOf(DomusError);
    expect(err.message).toMatch(/^wz-api-fail was not created: the guest could not be started\. Domus removed what it had made: \/etc\/xen\/wz-api-fail\.cfg, .*wz-api-fail-2\.vhd, .*wz-api-fail\.img\.$/);
    expect(await wizardState(lab)).toBe(before);
    expect(await domainExists(lab, 'wz-api-fail')).toBe(false);
  });

  it('lab: create — duplicate a guest: new name, new MAC, disks copied with qemu-img convert', async () => {
    const a = kitPvAnswers('wz-api-src');
    await b.backend['create.create']({ hostId: b.hostId, answers: a, configText: null, start: false });
    await lab.ok(['sh', '-c', `printf 'marker-wz' | dd of=${IMAGES}/wz-api-src.img conv=notrunc status=none`]);
    const guests = await b.backend['guests.list']({ hostId: b.hostId });
    const src = guests.find((g) => g.name === 'wz-api-src')!;
    const plan = await b.backend['create.duplicatePlan']({ hostId: b.hostId, guestId: src.id });
    expect(plan.suggestedName).toBe('wz-api-src-copy');
    expect(plan.disks.map((d) => d.target)).toEqual([`${IMAGES}/wz-api-src.img`, `${IMAGES}/wz-api-src-2.vhd`]);
    const res = await withDetail(b.backend['create.duplicate']({
      hostId: b.hostId, guestId: src.id, name: 'wz-api-dup', start: true,
      disks: [
        { source: `${IMAGES}/wz-api-src.img`, mode: 'copy', path: `${IMAGES}/wz-api-dup.img`, format: 'raw', sizeMiB: null },
        { source: `${IMAGES}/wz-api-src-2.vhd`, mode: 'new', path: `${IMAGES}/wz-api-dup-2.qcow2`, format: 'qcow2', sizeMiB: 16 },
      ],
    }));
    expect(res.started).toBe(true);
    expect(await lab.ok(['head', '-c', '9', `${IMAGES}/wz-api-dup.img`])).toBe('marker-wz');
    expect(await qemuFormat(lab, `${IMAGES}/wz-api-dup-2.qcow2`)).toBe('qcow2');
    const cfg = await lab.ok(['cat', '/etc/xen/wz-api-dup.cfg']);
    expect(cfg).toContain('name = "wz-api-dup"');
    expect(cfg).not.toContain('00:16:3e:5a:00:01');
    expect(cfg).toMatch(/mac=00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}/);
    await destroyGuest(lab, 'wz-api-dup');
  });
});

describe('lab: create (wizard in Chromium)', () => {
  let lab: LabHost;
  let app: BrowserApp;
  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanupWizard(lab);
    app = await startBrowserApp();
    await addLabHost(app.page, lab);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    if (lab) await cleanupWizard(lab);
    lab?.close();
  });

  const wizard = (page: Page) => page.getByRole('dialog', { name: 'Create a guest' });
  const next = (page: Page) => wizard(page).getByRole('button', { name: 'Next', exact: true });
  const shows = (page: Page, text: string | RegExp) => wizard(page).getByText(text).first().waitFor({ timeout: 60_000 });
  async function nextIsDisabled(page: Page): Promise<boolean> {
    return next(page).isDisabled();
  }

  async function screenshotOnFailure<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      await app.page.screenshot({ path: `/tmp/create-${name}-failure.png` }).catch(() => {});
      // Leave no dialog open for the next test.
      await app.page.keyboard.press('Escape').catch(() => {});
      throw err;
    }
  }

  it('lab: create — a PV guest through the wizard: refusals on each page, two disks (raw, vhd), xenbr0, runs with its console open', () =>
    screenshotOnFailure('pv', async () => {
      const { page } = app;
      await lab.ok(['truncate', '-s', '1M', `${IMAGES}/wz-ui-taken.img`]);
      const before = await wizardState(lab);
      await page.getByRole('button', { name: 'Create guest' }).click();
      const w = wizard(page);
      // 1. Name and type: a name in use is refused at once.
      await w.getByRole('textbox', { name: 'Name' }).fill('Domain-0');
      await shows(page, 'A guest named Domain-0 already exists on this host (running or as a config).');
      expect(await nextIsDisabled(page)).toBe(true);
      await w.getByRole('textbox', { name: 'Name' }).fill('wz-ui-pv');
      await w.getByRole('radio', { name: 'PV', exact: true }).check();
      await next(page).click();
      // 2. Boot: a missing kernel is refused by the host check; the ramdisk is picked in the file browser.
      await w.getByRole('textbox', { name: 'Kernel', exact: true }).fill('/root/kit/no-such-vmlinuz');
      await shows(page, 'There is no kernel file /root/kit/no-such-vmlinuz on the host.');
      expect(await nextIsDisabled(page)).toBe(true);
      await w.getByRole('textbox', { name: 'Kernel', exact: true }).fill('/root/kit/vmlinuz');
      await w.getByRole('button', { name: 'Browse the host for Ramdisk' }).click();
      const browser = page.getByRole('region', { name: 'Choose Ramdisk on the host' });
      await browser.getByRole('button', { name: '/' , exact: true }).click();
      await browser.getByRole('button', { name: 'Open root' }).click();
      await browser.getByRole('button', { name: 'Open kit' }).click();
      await browser.getByRole('button', { name: 'Choose initrd.gz' }).click();
      expect(await w.getByRole('textbox', { name: 'Ramdisk' }).inputValue()).toBe('/root/kit/initrd.gz');
      await w.getByRole('textbox', { name: 'Kernel command line' }).fill(KIT_CMDLINE);
      await w.getByText('There is no kernel file').waitFor({ state: 'detached', timeout: 60_000 });
      await next(page).click();
      // 3. CPU and memory: more than the host has free warns (only a start is refused, on the review).
      await w.getByText(/The host has 2 CPUs and \d+ MiB of memory free/).waitFor();
      await w.getByRole('spinbutton', { name: 'Memory at start' }).fill('999999');
      await shows(page, /999999 MiB is more than the \d+ MiB the host has free now: the guest can be created, but it will not start until that much is free\./);
      expect(await nextIsDisabled(page)).toBe(false);
      await w.getByRole('spinbutton', { name: 'Memory at start' }).fill('128');
      await w.getByRole('spinbutton', { name: 'Maximum memory' }).fill('128');
      await w.getByText(/the host has free/).waitFor({ state: 'detached' });
      await next(page).click();
      // 4. Storage: a path that exists is refused (Domus never overwrites); then raw + vhd.
      await w.getByRole('button', { name: 'Add a disk' }).click();
      await w.getByRole('textbox', { name: 'Path of disk 1' }).fill(`${IMAGES}/wz-ui-taken.img`);
      await w.getByRole('spinbutton', { name: 'Size of disk 1 in MiB' }).fill('64');
      await shows(page, `Disk 1: ${IMAGES}/wz-ui-taken.img already exists on the host; Domus does not overwrite it. Choose another path.`);
      expect(await nextIsDisabled(page)).toBe(true);
      await w.getByRole('textbox', { name: 'Path of disk 1' }).fill(`${IMAGES}/wz-ui-pv.img`);
      await w.getByRole('button', { name: 'Add a disk' }).click();
      await w.getByRole('combobox', { name: 'Format of disk 2' }).selectOption('vhd');
      expect(await w.getByRole('textbox', { name: 'Path of disk 2' }).inputValue()).toBe(`${IMAGES}/wz-ui-pv-2.vhd`);
      await w.getByRole('spinbutton', { name: 'Size of disk 2 in MiB' }).fill('32');
      await w.getByText('already exists on the host').waitFor({ state: 'detached', timeout: 60_000 });
      await next(page).click();
      // 5. Network: one card on xenbr0 with a generated MAC in Xen's range.
      expect(await w.getByRole('combobox', { name: 'Bridge of network card 1' }).inputValue()).toBe('xenbr0');
      const mac = await w.getByRole('textbox', { name: 'MAC address of network card 1' }).inputValue();
      expect(mac).toMatch(/^00:16:3e:[0-7][0-9a-f](:[0-9a-f]{2}){2}$/);
      await next(page).click();
      // 6. Devices and console.
      await w.getByText('The PV console (hvc0)', { exact: false }).waitFor();
      await next(page).click();
      // 7. Review: the exact config, then Create (start + open console are on).
      const cfgView = w.getByLabel('The xl.cfg that will be written');
      await cfgView.waitFor({ timeout: 60_000 });
      expect(await w.getByRole('checkbox', { name: 'Start after creation' }).isChecked()).toBe(true);
      expect(await w.getByRole('checkbox', { name: 'Open the console' }).isChecked()).toBe(true);
      // Nothing was made on the way here.
      expect(await wizardState(lab)).toBe(before);
      // What the console Domus opens will show, from its first byte.
      await installTap(page);
      await w.getByRole('button', { name: 'Create', exact: true }).click();
      await w.getByText('wz-ui-pv was created and started.').waitFor({ timeout: 300_000 });
      const cfg = await lab.ok(['cat', '/etc/xen/wz-ui-pv.cfg']);
      expect(cfg).toContain('kernel = "/root/kit/vmlinuz"');
      expect(cfg).toContain(`"bridge=xenbr0,mac=${mac}"`);
      expect(await qemuFormat(lab, `${IMAGES}/wz-ui-pv.img`)).toBe('raw');
      expect(await qemuFormat(lab, `${IMAGES}/wz-ui-pv-2.vhd`)).toBe('vpc');
      await w.getByRole('button', { name: 'Close' }).last().click();
      // The console was opened in the Consoles view, and the guest sees both disks through it.
      // (Domus holds the guest's console now: xenconsole lets one reader at a time.)
      await page.getByRole('tab', { name: 'Consoles' }).click();
      await page.locator('[data-console-guest="wz-ui-pv"][data-console-phase="open"]').waitFor({ timeout: 60_000 });
      await page.getByRole('application', { name: 'Text console of wz-ui-pv' }).click();
      await waitForTail(page, 'wz-ui-pv', /[/~] # /, 120_000, () => page.keyboard.press('Enter'));
      await page.keyboard.type('ls /sys/block\n');
      await waitForTail(page, 'wz-ui-pv', /xvda[\s\S]*xvdb/, 60_000, () => page.keyboard.type('ls /sys/block\n'));
      await page.getByRole('tab', { name: 'Guests' }).click();
    }));

  it('lab: create — a PVH guest, the cpuid line added in the review\'s advanced editor and checked by xl', () =>
    screenshotOnFailure('pvh', async () => {
      const { page } = app;
      await page.getByRole('button', { name: 'Create guest' }).click();
      const w = wizard(page);
      await w.getByRole('textbox', { name: 'Name' }).fill('wz-ui-pvh');
      await w.getByRole('radio', { name: 'PVH', exact: true }).check();
      await next(page).click();
      await w.getByRole('textbox', { name: 'Kernel', exact: true }).fill('/root/kit/vmlinuz');
      await w.getByRole('textbox', { name: 'Ramdisk' }).fill('/root/kit/initrd.gz');
      await w.getByRole('textbox', { name: 'Kernel command line' }).fill(KIT_CMDLINE);
      await next(page).click();
      await w.getByRole('spinbutton', { name: 'Memory at start' }).fill('128');
      await next(page).click();
      await next(page).click();
      await w.getByRole('button', { name: 'Remove network card 1' }).click();
      await next(page).click();
      await next(page).click();
      await w.getByLabel('The xl.cfg that will be written').waitFor({ timeout: 60_000 });
      await w.getByText('Edit the config before creating (advanced)').click();
      const editor = w.getByRole('textbox', { name: 'xl.cfg to be written' });
      const text = await editor.inputValue();
      expect(text).toContain('type = "pvh"');
      await editor.fill(`${text}cpuid = host-rdtscp\n`);
      await w.getByRole('button', { name: 'Check with xl' }).click();
      await shows(page, 'xl rejects this config.');
      await editor.fill(`${text}cpuid = "host,rdtscp=0"\n`);
      await w.getByRole('button', { name: 'Check with xl' }).click();
      await shows(page, 'xl create -n accepts this config.');
      await w.getByRole('checkbox', { name: 'Open the console' }).uncheck();
      await w.getByRole('button', { name: 'Create', exact: true }).click();
      await w.getByText('wz-ui-pvh was created and started.').waitFor({ timeout: 300_000 });
      expect(await lab.ok(['cat', '/etc/xen/wz-ui-pvh.cfg'])).toContain('cpuid = "host,rdtscp=0"');
      await w.getByRole('button', { name: 'Close' }).last().click();
      const con = await openConsole(lab, 'wz-ui-pvh');
      try {
        expect(await con.run('echo pvh-$((6*7))')).toContain('pvh-42');
      } finally {
        con.close();
      }
    }));
});

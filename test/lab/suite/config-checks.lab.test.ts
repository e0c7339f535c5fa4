// The host checks of a guest config against the real lab, through the real backend and the
// contract's validation: the editor refuses a config that would not start (missing kernel,
// unknown bridge, memory below what the kernel needs), names key and line, writes nothing; "save
// anyway" writes it and the task records it; the kit kernel really does not come up below the
// floor and boots at it; and the same in Chromium (problem list, "Save anyway").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateAnswers } from '../../../electron/api/create';
import type { ConfigProblem } from '../../../electron/api/guests';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import { destroyGuest, writeKitConfig } from '../guests';
import { LabHost } from '../labHost';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';
import { addLabHost } from '../ui';
import { until } from '../../support/wait';

const NAME = 'hc-edit';
const CFG = `/etc/xen/${NAME}.cfg`;
const FLOOR_GUEST = 'hc-floor';
const FLOOR_CFG = `/tmp/${FLOOR_GUEST}.cfg`;

const setLine = (text: string, key: string, value: string) =>
  new RegExp(`^${key}\\s*=`, 'm').test(text) ? text.replace(new RegExp(`^${key}\\s*=.*$`, 'm'), `${key} = ${value}`) : `${text}${key} = ${value}\n`;
const lineOf = (text: string, key: string) => text.split('\n').findIndex((l) => new RegExp(`^${key}\\s*=`).test(l)) + 1;

describe('lab: config checks', () => {
  let lab: LabHost;
  let labBackend: LabBackend;
  let call: ReturnType<typeof labCalls>['call'];
  let guestId: string;

  const cleanup = async () => {
    await destroyGuest(lab, FLOOR_GUEST);
    await lab.run(['rm', '-f', CFG, `${CFG}.bak`, FLOOR_CFG]);
  };

  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup();
    await writeKitConfig(lab, NAME);
    labBackend = await connectLabBackend(lab, 'checks');
    ({ call } = labCalls(labBackend));
    const g = await until('the stopped guest in the inventory', async () =>
      (await labBackend.backend['guests.list']({ hostId: labBackend.hostId })).find((x) => x.name === NAME && x.configPath === CFG), 180_000);
    guestId = g.id;
  }, 400_000);

  afterAll(async () => {
    await labBackend?.close();
    if (lab) {
      await cleanup();
      lab.close();
    }
  }, 300_000);

  const base = async () => (await call('guests.readConfig', { guestId })).text;
  /** Each test starts from the kit's config, whatever the one before left. */
  const fresh = async () => {
    await writeKitConfig(lab, NAME);
    return base();
  };
  const expectRefused = async (text: string, baseText: string, code: string, key: string, re: RegExp): Promise<ConfigProblem> => {
    const r = await call('guests.writeConfig', { guestId, text, baseText });
    expect(r.written).toBe(false);
    expect(r.backupPath).toBeNull();
    const p = r.problems.find((x) => x.code === code);
    expect(p, JSON.stringify(r.problems)).toBeDefined();
    expect(p).toMatchObject({ key, severity: 'error', line: lineOf(text, key) });
    expect(p!.message).toMatch(new RegExp(`^Line ${lineOf(text, key)}: ${key} `));
    expect(p!.message).toMatch(re);
    expect(await lab.ok(['cat', CFG])).toBe(baseText);
    return p!;
  };

  it('lab: safety editor — refuses a missing kernel, an unknown bridge and memory below the kernel\'s floor, naming key and line; nothing written', async () => {
    const b = await base();
    await expectRefused(setLine(b, 'kernel', '"/root/kit/hc-no-such-vmlinuz"'), b, 'kernel.missing', 'kernel', /\/root\/kit\/hc-no-such-vmlinuz, which does not exist on the host/);
    await expectRefused(setLine(b, 'vif', "[ 'bridge=hcbr9' ]"), b, 'vif.bridge', 'vif', /the bridge hcbr9, which is not a bridge on the host/);
    const low = setLine(setLine(b, 'memory', '64'), 'maxmem', '64');
    const p = await expectRefused(low, b, 'memory.belowFloor', 'memory', /= 64 MiB is below the \d+ MiB this PV guest needs: the kernel \/root\/kit\/vmlinuz needs [\d.]+ MiB/);
    // The kit kernel (8 MiB bzImage) declares init_size 63.6 MiB at 16 MiB: the floor is above 80.
    expect(Number(/below the (\d+) MiB/.exec(p.message)![1])).toBeGreaterThan(80);
    // The config as it is passes: the bridge the kit uses exists, the kernel is there.
    const ok = await call('guests.writeConfig', { guestId, text: `${b}# checked\n`, baseText: b });
    expect(ok).toMatchObject({ written: true, backupPath: `${CFG}.bak`, problems: [] });
    expect(await lab.ok(['cat', CFG])).toBe(`${b}# checked\n`);
  }, 300_000);

  it('lab: safety editor — a clash of names, maxmem below memory and vcpus above maxvcpus are refused too', async () => {
    const b = await fresh();
    await expectRefused(setLine(b, 'name', '"Domain-0"'), b, 'name.running', 'name', /"Domain-0" is the name of a running domain/);
    await expectRefused(setLine(b, 'maxmem', '100'), b, 'maxmem.belowMemory', 'maxmem', /= 100 MiB is less than memory = 128 MiB/);
    await expectRefused(setLine(b, 'vcpus', '3'), b, 'vcpus.aboveMax', 'vcpus', /= 3 is more than maxvcpus = 2/);
  }, 300_000);

  it('lab: safety editor — "save anyway" writes the failing config and the task records what will fail', async () => {
    const b = await fresh();
    const text = setLine(b, 'kernel', '"/root/kit/hc-later-vmlinuz"');
    const r = await call('guests.writeConfig', { guestId, text, baseText: b, saveAnyway: true });
    expect(r.written).toBe(true);
    expect(r.problems.map((p) => p.code)).toContain('kernel.missing');
    expect(await lab.ok(['cat', CFG])).toBe(text);
    expect(await lab.ok(['cat', `${CFG}.bak`])).toBe(b);
    const task = (await labBackend.backend['tasks.list']({})).filter((t) => t.action === 'guest.editConfig' && t.target === NAME).at(-1)!;
    expect(task.state).toBe('succeeded');
    expect(task.notes?.join(' ')).toMatch(/Saved anyway, although the guest will not start as it is: Line \d+: kernel names \/root\/kit\/hc-later-vmlinuz, which does not exist/);
    // The refused writes before were tasks too, failed with the reason.
    const refusedTask = (await labBackend.backend['tasks.list']({})).find((t) => t.action === 'guest.editConfig' && t.state === 'failed');
    expect(refusedTask?.error?.message).toMatch(/would not start.*Nothing was written/);
    await call('guests.writeConfig', { guestId, text: b, baseText: text });
  }, 300_000);

  it('lab: safety badge — a stopped guest whose config fails the checks carries the reasons in the inventory', async () => {
    const b = await fresh();
    const text = setLine(b, 'kernel', '"/root/kit/hc-later-vmlinuz"');
    await call('guests.writeConfig', { guestId, text, baseText: b, saveAnyway: true });
    const listed = () => labBackend.backend['guests.list']({ hostId: labBackend.hostId }).then((gs) => gs.find((g) => g.name === NAME));
    const badged = await until('the badge on the stopped guest', async () => (await listed())?.configProblems, 120_000);
    expect(badged.map((p) => p.code)).toEqual(['kernel.missing']);
    await call('guests.writeConfig', { guestId, text: b, baseText: text });
    await until('the badge gone', async () => (await listed())?.configProblems === undefined, 120_000);
  }, 300_000);

  it('lab: safety memory floor — the kit kernel does not come up below the floor and boots at it', async () => {
    const b = await fresh();
    const refused = await call('guests.writeConfig', { guestId, text: setLine(b, 'memory', '80'), baseText: b });
    const problem = refused.problems.find((p) => p.code === 'memory.belowFloor')!;
    const floor = Number(problem.params?.floor);
    expect(problem.params).toEqual({ memory: 80, floor });
    expect(problem.message).toContain(`below the ${floor} MiB`);
    // The wizard holds the same floor against the same kernel, on its CPU page, before anything
    // is made.
    const answers: CreateAnswers = {
      name: 'hc-wizard-floor', type: 'pv',
      boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: 'console=hvc0 rdinit=/init loglevel=4' },
      vcpus: 1, maxVcpus: 1, memoryMiB: 80, maxMemoryMiB: 80,
      disks: [], nics: [], pci: [], passthroughEnabled: false, vnc: false, vncPassword: null,
    };
    const pre = await call('create.preview', { answers });
    expect(pre.problems).toContainEqual(expect.objectContaining({ page: 'cpu', field: 'memory', code: 'cpu.memoryBelowKernelFloor', params: { memory: 80, floor } }));
    const atFloor = await call('create.preview', { answers: { ...answers, memoryMiB: floor, maxMemoryMiB: floor } });
    expect(atFloor.problems.filter((p) => p.code === 'cpu.memoryBelowKernelFloor')).toEqual([]);
    // Start the kit PV guest with xl itself, its console captured from the first byte; a crash
    // stays visible (on_crash=preserve) instead of the domain vanishing.
    const boot = async (mib: number) => {
      await lab.script(`set -e; sed -e 's/^name .*/name = "${FLOOR_GUEST}"/' -e 's/^memory .*/memory = ${mib}/' -e 's/^maxmem .*/maxmem = ${mib}/' -e 's/^on_crash .*/on_crash = "preserve"/' /root/kit/pv.cfg > ${FLOOR_CFG}`);
      // Watch the console until the kernel panics, libxc gives up or the shell comes (a panicked
      // guest prints nothing more, so waiting for the console to end would take the whole timeout).
      const r = await lab.script(`c=/tmp/${FLOOR_GUEST}.console
script -qc "timeout -s KILL 420 xl create -c ${FLOOR_CFG}" /dev/null > $c 2>&1 &
p=$!
for i in $(seq 1 210); do grep -a -q -E 'Kernel panic|Out of memory|built-in shell' $c && break; kill -0 $p 2>/dev/null || break; sleep 2; done
kill $p 2>/dev/null
grep -a -m1 -oE 'Kernel panic|xc_dom_chk_alloc_pages.*Out of memory|built-in shell' $c; xl list ${FLOOR_GUEST} 2>/dev/null | tail -1; rm -f $c`, 480_000);
      await destroyGuest(lab, FLOOR_GUEST);
      return r.stdout;
    };
    const below = await boot(80);
    expect(below).toMatch(/Kernel panic|Out of memory/);
    expect(below).not.toMatch(/built-in shell/);
    const at = await boot(floor);
    expect(at).toMatch(/built-in shell/);
    expect(at).not.toMatch(/Kernel panic/);
  }, 1_000_000);

  describe('in Chromium', () => {
    let app: BrowserApp;
    beforeAll(async () => {
      app = await startBrowserApp();
    });
    afterAll(async () => {
      await app?.close();
    });

    it('lab: safety editor UI — the problem list names key and line; "Save anyway" says start will fail and writes it', async () => {
      const { page } = app;
      const b = await fresh();
      try {
        await addLabHost(page, lab);
        await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: `Open ${NAME}` }).click({ timeout: 180_000 });
        const guestPage = page.getByRole('region', { name: `Guest ${NAME}` });
        await guestPage.getByRole('tab', { name: 'Config' }).click();
        const editor = guestPage.getByRole('textbox', { name: `Contents of ${CFG}` });
        await until('the config in the editor', async () => (await editor.inputValue()) === b, 60_000);
        const text = setLine(b, 'vif', "[ 'bridge=hcbr9' ]");
        await editor.fill(text);
        await guestPage.getByRole('button', { name: 'Review changes…' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Check and save' }).click();
        const problems = guestPage.getByLabel('Host checks of the config');
        await problems.getByText(`Line ${lineOf(text, 'vif')}: vif names the bridge hcbr9, which is not a bridge on the host`, { exact: false }).waitFor({ timeout: 120_000 });
        await problems.getByText('nothing was written', { exact: false }).waitFor();
        expect(await lab.ok(['cat', CFG])).toBe(b);
        await problems.getByRole('button', { name: 'Save anyway (start will fail: 1 problem)' }).click();
        await guestPage.getByText('Saved. The previous version is kept as', { exact: false }).waitFor({ timeout: 120_000 });
        await guestPage.getByText('Saved anyway. The guest will not start until this is fixed:').waitFor();
        expect(await lab.ok(['cat', CFG])).toBe(text);
      } catch (err) {
        await page.screenshot({ path: '/tmp/config-checks-failure.png', fullPage: true }).catch(() => {});
        throw err;
      }
    }, 600_000);
  });
});

// CPU and memory against the real lab, through the real backend and the contract's validation
// (createDispatcher): every change is read back with xl itself. The lab runs credit2 and must not
// be rebooted, so the credit scheduler is tested in a cpupool "cpu-credit" made from pCPU 1, which
// goes back to Pool-0 in the same test (another engineer's tests share the lab).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatch } from '../../../electron/api/dispatcher';
import type { DomusBackend } from '../../../electron/hosts/backend';
import type { ApiError } from '../../../electron/api/errors';
import { startBrowserApp } from '../../e2e/browserApp';
import { destroyGuest, restorePools, writeKitConfig } from '../guests';
import { LabHost } from '../labHost';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';
import { addLabHost } from '../ui';
import { until } from '../../support/wait';

const NAME = 'cpu-a';
const CFG = `/etc/xen/${NAME}.cfg`;
const POOL = 'cpu-credit';


describe('lab: cpu', () => {
  let lab: LabHost;
  let backend: DomusBackend;
  let dispatch: Dispatch;
  let labBackend: LabBackend;
  let hostId: string;

  let connected: () => Promise<unknown>;
  let call: ReturnType<typeof labCalls>['call'];
  let refused: ReturnType<typeof labCalls>['refused'];


  beforeAll(async () => {
    lab = await LabHost.connect();
    await destroyGuest(lab, NAME);
    await restorePools(lab, POOL);
    // A persistent guest: the kit's PV guest under our name, one vCPU of two, 128 of 256 MiB.
    await writeKitConfig(lab, NAME);
    await lab.ok(['xl', 'create', CFG], { timeoutMs: 180_000 });

    labBackend = await connectLabBackend(lab, 'cpu');
    ({ backend, dispatch, hostId } = labBackend);
    ({ connected, call, refused } = labCalls(labBackend));
    await until('the guest in the inventory', async () =>
      (await backend['guests.list']({ hostId })).find((g) => g.name === NAME && g.domid !== null && g.configPath === CFG), 180_000);
  }, 400_000);

  afterAll(async () => {
    await labBackend?.close();
    if (lab) {
      await destroyGuest(lab, NAME);
      await restorePools(lab, POOL);
      await lab.run(['rm', '-f', CFG, `${CFG}.bak`]);
      lab.close();
    }
  }, 300_000);

  it('lab: cpu — overview: topology, one NUMA node with memory, Pool-0 on credit2, and why there is nothing to split', async () => {
    const o = await call('cpu.overview', {});
    expect(o.nrCpus).toBe(2);
    expect(o.scheduler).toBe('credit2');
    expect(o.nodes).toHaveLength(1);
    expect(o.nodes[0].memsizeMiB).toBeGreaterThan(1000);
    expect(o.nodes[0].cpus).toEqual([0, 1]);
    expect(o.pools.find((p) => p.name === 'Pool-0')).toMatchObject({ sched: 'credit2', cpus: [0, 1] });
    expect(o.numaSplit).toMatchObject({ possible: false, reason: 'single-node' });
    expect(o.domains.find((d) => d.name === NAME)).toMatchObject({ pool: 'Pool-0', onlineVcpus: 1, maxVcpus: 2, maxMemoryMiB: 256, weight: 256 });
    const v = await call('cpu.vcpus', {});
    expect(v.filter((x) => x.name === NAME)).toHaveLength(2);
  }, 120_000);

  it('lab: cpu — invalid values are refused before reaching xl', async () => {
    expect((await refused('cpu.setSched', { guest: NAME, apply: 'live', weight: 0 })).code).toBe('invalid_input');
    expect((await refused('cpu.setSched', { guest: NAME, apply: 'both', cap: 250 })).message).toMatch(/200%/);
    expect((await refused('cpu.setVcpus', { guest: NAME, apply: 'live', count: 3 })).message).toMatch(/at most 2 vCPUs/);
    expect((await refused('cpu.setMemory', { guest: NAME, apply: 'both', targetMiB: 300 })).message).toMatch(/at most 256 MiB/);
    expect((await refused('cpu.setPinning', { guest: NAME, apply: 'live', hard: [[5], [0]], soft: ['all', 'all'] })).message).toMatch(/Pool-0 has CPUs 0-1/);
    expect((await refused('cpu.movePool', { guest: NAME, apply: 'live', pool: 'no-such-pool' })).message).toMatch(/no cpupool/);
    expect((await refused('cpu.poolCreate', { name: 'cpu-x', sched: 'credit', cpus: [9] })).message).toMatch(/no CPU 9/);
    // Nothing changed on the host.
    expect(await lab.ok(['xl', 'sched-credit2', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+256\\s+0`));
  }, 120_000);

  it('lab: cpu — weight, cap, vCPUs, memory and pinning live and persistent on credit2, surviving a restart', async () => {
    expect(await call('cpu.setSched', { guest: NAME, apply: 'both', weight: 512, cap: 50 })).toEqual({ live: true, persistent: true, configPath: CFG });
    expect(await lab.ok(['xl', 'sched-credit2', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+512\\s+50`));

    await call('cpu.setVcpus', { guest: NAME, apply: 'both', count: 2 });
    // Live, xl offers vCPU 1 to the guest through xenstore; the busybox kit has no hotplug agent
    // to bring it online inside, so the offer is what can be checked (a restart starts both).
    const domid = (await lab.ok(['xl', 'domid', NAME])).trim();
    await until('vCPU 1 offered online', async () =>
      (await lab.ok(['xenstore-read', `/local/domain/${domid}/cpu/1/availability`])).trim() === 'online');

    await call('cpu.setMemory', { guest: NAME, apply: 'both', targetMiB: 200 });
    await until('memory target 200 MiB', async () => /"target_memkb": 204800/.test(await lab.ok(['xl', 'list', '-l', NAME])));

    await call('cpu.setPinning', { guest: NAME, apply: 'both', hard: [[1], [0]], soft: ['all', 'all'] });
    const vl = await lab.ok(['xl', 'vcpu-list', NAME]);
    expect(vl).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+0\\s+\\S+\\s+\\S+\\s+\\S+\\s+1 / all`));
    expect(vl).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+1\\s+\\S+\\s+\\S+\\s+\\S+\\s+0 / all`));

    // Only the CPU keys changed; the backup holds the original.
    const cfg = await lab.ok(['cat', CFG]);
    expect(cfg).toMatch(/^vcpus\s+= 2$/m);
    expect(cfg).toMatch(/^memory\s+= 200$/m);
    expect(cfg).toMatch(/^cpu_weight = 512$/m);
    expect(cfg).toMatch(/^cap = 50$/m);
    expect(cfg).toMatch(/^cpus = \[ "1", "0" \]$/m);
    expect(cfg).toContain('kernel  = "/root/kit/vmlinuz"');
    expect(await lab.ok(['cat', `${CFG}.bak`])).toContain('maxvcpus = 2');

    // Restart from the config: everything persistent is back.
    await destroyGuest(lab, NAME);
    await lab.ok(['xl', 'create', CFG], { timeoutMs: 180_000 });
    expect(await lab.ok(['xl', 'sched-credit2', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+512\\s+50`));
    // The guest kernel brings its second vCPU up a few seconds into its boot.
    await until('2 vCPUs online after the restart', async () =>
      new RegExp(`${NAME}\\s+\\d+\\s+\\d+\\s+2\\s`).test(await lab.ok(['xl', 'list', NAME])), 90_000);
    expect(await lab.ok(['xl', 'list', '-l', NAME])).toMatch(/"target_memkb": 204800/);
    const after = await lab.ok(['xl', 'vcpu-list', NAME]);
    expect(after).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+0\\s+\\S+\\s+\\S+\\s+\\S+\\s+1 / all`));
    expect(after).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+1\\s+\\S+\\s+\\S+\\s+\\S+\\s+0 / all`));

    // A live-only change leaves the file alone.
    const before = await lab.ok(['sha256sum', CFG]);
    await until('the restarted guest in the inventory', async () =>
      (await backend['guests.list']({ hostId })).find((g) => g.name === NAME && g.domid !== null), 60_000);
    expect(await call('cpu.setSched', { guest: NAME, apply: 'live', weight: 300 })).toMatchObject({ live: true, persistent: false });
    expect(await lab.ok(['xl', 'sched-credit2', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+300\\s+50`));
    expect(await lab.ok(['sha256sum', CFG])).toBe(before);
  }, 400_000);

  it('lab: cpu — a credit cpupool from pCPU 1: move the guest in, weight via xl sched-credit, xl refusal shown, all put back', async () => {
    try {
      await call('cpu.poolCreate', { name: POOL, sched: 'credit', cpus: [1] });
      const pools = await lab.ok(['xl', 'cpupool-list']);
      expect(pools).toMatch(new RegExp(`${POOL}\\s+1\\s+credit\\s+y\\s+0`));
      expect(pools).toMatch(/Pool-0\s+1\s+credit2/);

      await call('cpu.movePool', { guest: NAME, apply: 'both', pool: POOL });
      expect(await lab.ok(['xl', 'list', '-c', NAME])).toMatch(new RegExp(`${POOL}\\s*$`, 'm'));
      // Pins outside the new pool are refused before xl.
      expect((await refused('cpu.setPinning', { guest: NAME, apply: 'live', hard: [[0], [0]], soft: ['all', 'all'] })).message).toMatch(/cpu-credit has CPUs 1/);

      // The pool's scheduler decides the command: sched-credit here.
      await call('cpu.setSched', { guest: NAME, apply: 'live', weight: 128, cap: 20 });
      expect(await lab.ok(['xl', 'sched-credit', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+128\\s+20`));
      const wrong = await lab.run(['xl', 'sched-credit2', '-d', NAME]);
      expect(wrong.code).not.toBe(0);

      // A pool with a guest is not destroyed.
      expect((await refused('cpu.poolDestroy', { name: POOL })).message).toMatch(/still has 1 guest/);
      expect(await lab.ok(['grep', '^pool', CFG])).toMatch(/pool = "cpu-credit"/);

      // Back: the guest to Pool-0 (config pool= removed), the pool destroyed, pCPU 1 back in Pool-0.
      await call('cpu.movePool', { guest: NAME, apply: 'both', pool: 'Pool-0' });
      expect((await lab.run(['grep', '^pool', CFG])).code).toBe(1);
      await call('cpu.poolDestroy', { name: POOL });
      expect(await lab.ok(['xl', 'cpupool-list', '-c'])).toMatch(/^Pool-0\s+0,1\s*$/m);
    } finally {
      await restorePools(lab, POOL);
    }
  }, 300_000);

  it('lab: cpu — xl refusal text is shown when xl itself refuses, and pCPU 1 goes back to Pool-0', async () => {
    // This Xen has no rtds scheduler built in; only xl can tell. Domus takes CPU 1 out of Pool-0
    // first, so the failed create must put it back.
    try {
      await connected();
      const tasksBefore = (await backend['tasks.list']({})).length;
      const r = await dispatch('cpu.poolCreate', { hostId, name: 'cpu-rt', sched: 'rtds', cpus: [1] });
      expect(r.ok).toBe(false);
      const error = (r as { ok: false; error: ApiError }).error;
      expect(error.code).toBe('command_failed');
      expect(error.message).toMatch(/xl refused to create cpupool cpu-rt: Could not create cpupool/);
      expect(error.detail).toContain('libxl_cpupool_create');
      const tasks = await backend['tasks.list']({});
      expect(tasks.length).toBe(tasksBefore + 1);
      const task = tasks[tasks.length - 1];
      expect(task.state).toBe('failed');
      expect(task.steps.map((s) => s.command)).toEqual([
        'xl cpupool-cpu-remove Pool-0 1',
        `xl cpupool-create 'name="cpu-rt"' 'sched="rtds"' 'cpus="1"'`,
        'xl cpupool-cpu-add Pool-0 1',
      ]);
      expect(await lab.ok(['xl', 'cpupool-list', '-c'])).toMatch(/^Pool-0\s+0,1\s*$/m);
    } finally {
      await restorePools(lab, POOL);
    }
  }, 120_000);

  it('lab: cpu — in Chromium: open the CPU view, change a guest weight live, and xl shows it', async () => {
    const app = await startBrowserApp({ userKnownHosts: labBackend.knownHosts });
    try {
      const { page } = app;
      // The key is already in the user's known_hosts here: no trust dialog.
      await addLabHost(page, lab, { keyKnown: true });

      await page.getByRole('tab', { name: 'CPU & memory' }).click();
      // The live grid shows our guest's vCPUs (xl vcpu-list, polled while the view is open).
      await page.getByRole('table', { name: 'Where vCPUs run' }).getByRole('row', { name: `${NAME} vCPU 0` }).waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: `Configure ${NAME}` }).click();
      const controls = page.getByRole('dialog', { name: `CPU & memory of ${NAME}` });
      const sched = controls.getByRole('region', { name: 'Scheduling' });
      await sched.getByText(/xl sched-credit2/).waitFor();
      await sched.getByLabel('Weight', { exact: true }).fill('700');
      await sched.getByLabel('Live (running guest)').check();
      await sched.getByRole('button', { name: 'Apply Scheduling' }).click();
      await sched.getByText('Applied to the running guest.').waitFor({ timeout: 60_000 });
      expect(await lab.ok(['xl', 'sched-credit2', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+700\\s`));
    } catch (err) {
      await app.page.screenshot({ path: '/tmp/cpu-ui-failure.png', fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await app.close();
    }
  }, 400_000);
});

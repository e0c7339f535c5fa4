// CPU scheduling on a host that boots Xen's credit scheduler (the alternative lab: sched=credit,
// no IOMMU). Weight and cap go through `xl sched-credit`, whose limits differ from credit2's, and
// a credit2 cpupool on this host switches Domus to `xl sched-credit2` for the guests in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp } from '../../e2e/browserApp';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';
import { destroyGuest, restorePools, writeKitConfig } from '../guests';
import { LabHost } from '../labHost';
import { addLabHost } from '../ui';
import { until } from '../../support/wait';

const NAME = 'cpu-c';
const CFG = `/etc/xen/${NAME}.cfg`;
const POOL = 'cpu-c2';

describe('lab-alt: cpu on the credit scheduler', () => {
  let lab: LabHost;
  let labBackend: LabBackend;
  let calls: ReturnType<typeof labCalls>;


  beforeAll(async () => {
    lab = await LabHost.connect();
    await destroyGuest(lab, NAME);
    await restorePools(lab, POOL);
    await writeKitConfig(lab, NAME);
    await lab.ok(['xl', 'create', CFG], { timeoutMs: 180_000 });
    labBackend = await connectLabBackend(lab, 'cpu-credit');
    calls = labCalls(labBackend);
    const { backend, hostId } = labBackend;
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

  it('lab-alt: cpu — Pool-0 runs credit; weight and cap live and persistent through xl sched-credit, surviving a restart', async () => {
    const { call, refused } = calls;
    const o = await call('cpu.overview', {});
    expect(o.scheduler).toBe('credit');
    expect(o.pools.find((p) => p.name === 'Pool-0')).toMatchObject({ sched: 'credit', cpus: [0, 1] });
    // credit's weight default is 256 like credit2's, and its cap is per cent of one CPU too.
    expect(o.domains.find((d) => d.name === NAME)).toMatchObject({ pool: 'Pool-0', weight: 256 });

    // credit takes weights up to 65535 and refuses 0 — refused before xl.
    expect((await refused('cpu.setSched', { guest: NAME, apply: 'live', weight: 0 })).code).toBe('invalid_input');

    expect(await call('cpu.setSched', { guest: NAME, apply: 'both', weight: 1024, cap: 40 })).toMatchObject({ live: true, persistent: true });
    expect(await lab.ok(['xl', 'sched-credit', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+1024\\s+40`));
    // The other scheduler's command fails here, which is why Domus picks by the pool's scheduler.
    expect((await lab.run(['xl', 'sched-credit2', '-d', NAME])).code).not.toBe(0);
    expect(await lab.ok(['cat', CFG])).toMatch(/^cpu_weight = 1024$/m);

    // Pinning (hard and soft) is the scheduler's business too: credit honours soft affinity.
    await call('cpu.setPinning', { guest: NAME, apply: 'live', hard: ['all', 'all'], soft: [[1], [1]] });
    expect(await lab.ok(['xl', 'vcpu-list', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+0\\s+\\S+\\s+\\S+\\s+\\S+\\s+all / 1`));

    await destroyGuest(lab, NAME);
    await lab.ok(['xl', 'create', CFG], { timeoutMs: 180_000 });
    expect(await lab.ok(['xl', 'sched-credit', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+1024\\s+40`));
  }, 400_000);

  it('lab-alt: cpu — a credit2 pool on a credit host: the guest moved in is tuned with xl sched-credit2, then all is put back', async () => {
    const { call } = calls;
    try {
      await until('the restarted guest in the inventory', async () =>
        (await labBackend.backend['guests.list']({ hostId: labBackend.hostId })).find((g) => g.name === NAME && g.domid !== null), 120_000);
      await call('cpu.poolCreate', { name: POOL, sched: 'credit2', cpus: [1] });
      expect(await lab.ok(['xl', 'cpupool-list'])).toMatch(new RegExp(`${POOL}\\s+1\\s+credit2\\s+y\\s+0`));
      await call('cpu.movePool', { guest: NAME, apply: 'live', pool: POOL });
      await call('cpu.setSched', { guest: NAME, apply: 'live', weight: 700 });
      expect(await lab.ok(['xl', 'sched-credit2', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+700\\s`));
      await call('cpu.movePool', { guest: NAME, apply: 'live', pool: 'Pool-0' });
      await call('cpu.poolDestroy', { name: POOL });
      expect(await lab.ok(['xl', 'cpupool-list', '-c'])).toMatch(/^Pool-0\s+0,1\s*$/m);
    } finally {
      await restorePools(lab, POOL);
    }
  }, 300_000);

  it('lab-alt: cpu — in Chromium the scheduling section names xl sched-credit and a weight change reaches xl', async () => {
    const app = await startBrowserApp({ userKnownHosts: labBackend.knownHosts });
    try {
      const { page } = app;
      await addLabHost(page, lab, { keyKnown: true });
      await page.getByRole('tab', { name: 'CPU & memory' }).click();
      await page.getByRole('button', { name: `Configure ${NAME}` }).click();
      const sched = page.getByRole('dialog', { name: `CPU & memory of ${NAME}` }).getByRole('region', { name: 'Scheduling' });
      await sched.getByText(/xl sched-credit\b/).waitFor({ timeout: 60_000 });
      await sched.getByLabel('Weight', { exact: true }).fill('333');
      await sched.getByLabel('Live (running guest)').check();
      await sched.getByRole('button', { name: 'Apply Scheduling' }).click();
      await sched.getByText('Applied to the running guest.').waitFor({ timeout: 60_000 });
      expect(await lab.ok(['xl', 'sched-credit', '-d', NAME])).toMatch(new RegExp(`${NAME}\\s+\\d+\\s+333\\s`));
    } catch (err) {
      await app.page.screenshot({ path: '/tmp/cpu-credit-ui-failure.png', fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await app.close();
    }
  }, 400_000);
});

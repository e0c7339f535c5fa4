// @vitest-environment jsdom
// The CPU page shows what a hand-written cpus=/cpus_soft= in a guest's config means on the host,
// read with xl's syntax (all, ranges, ^ exclusions, nodes:).
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CpuOverview } from '../../../electron/api/cpu';
import { XlCfg, configAffinity } from '../../../electron/drivers/xl/xlcfg';
import type { DomusClient } from '../../../renderer/src/api/client';
import { ClientProvider } from '../../../renderer/src/api/context';
import { GuestCpuControls } from '../../../renderer/src/components/cpu/GuestCpuControls';
import { initI18n } from '../../../renderer/src/i18n';

const TOPO = { cpus: [0, 1, 2, 3, 4, 5, 6, 7].map((cpu) => ({ cpu, node: cpu < 4 ? 0 : 1 })) };

describe('configAffinity (what the CPU page is told)', () => {
  it('reads a hand-written cpus= per vCPU against the topology', () => {
    const cfg = XlCfg.parse('vcpus = 2\ncpus = "nodes:1,^5"\ncpus_soft = [ "0", "2-3" ]\n');
    expect(configAffinity(cfg.get('cpus') as string, 2, TOPO, true)).toEqual({ text: 'nodes:1,^5', perVcpu: [[4, 6, 7], [4, 6, 7]], error: null });
    expect(configAffinity(cfg.get('cpus_soft') as string[], 3, TOPO, false)).toEqual({ text: '[ "0", "2-3" ]', perVcpu: [[0], [2, 3], null], error: null });
  });

  it('says why xl would refuse it', () => {
    expect(configAffinity('^all', 1, TOPO, true)?.error).toMatch(/\^all/);
    expect(configAffinity('9', 1, TOPO, true)?.error).toMatch(/no CPU of this host/);
    expect(configAffinity(undefined, 1, TOPO, true)).toBeNull();
  });
});

describe('CPU page', () => {
  beforeAll(() => initI18n('en'));
  afterEach(cleanup);

  it('shows the meaning of the config\'s cpus= next to the pinning grid', async () => {
    const overview: CpuOverview = {
      scheduler: 'credit2',
      nrCpus: 8,
      coresPerSocket: 4,
      threadsPerCore: 1,
      topology: TOPO.cpus.map((c) => ({ ...c, core: c.cpu, socket: 0 })),
      nodes: [],
      pools: [{ name: 'Pool-0', sched: 'credit2', cpus: TOPO.cpus.map((c) => c.cpu), domainCount: 1, params: {} }],
      freeCpus: [],
      domains: [],
      numaSplit: { possible: false, reason: 'single-node', pools: [] },
    };
    const client = {
      call: (async (method: string) => {
        if (method !== 'cpu.configAffinity') throw new Error(`unexpected ${method}`);
        return {
          configPath: '/etc/xen/web.cfg',
          hard: configAffinity('all,^nodes:0', 2, TOPO, true),
          soft: configAffinity(['0', '2-3'], 2, TOPO, false),
        };
      }) as DomusClient['call'],
    } as DomusClient;
    render(
      <ClientProvider client={client}>
        <GuestCpuControls hostId="h1" guestName="web" overview={overview} placements={[]} hasConfig onChanged={() => {}} />
      </ClientProvider>,
    );
    expect(await screen.findByTestId('cfg-affinity-hard')).toHaveProperty('textContent', 'In the config: cpus = all,^nodes:0 means every vCPU on CPUs 4-7.');
    expect(screen.getByTestId('cfg-affinity-soft').textContent).toBe('In the config: cpus_soft = [ "0", "2-3" ] means vCPU 0 on CPUs 0; vCPU 1 on CPUs 2-3.');
  });
});

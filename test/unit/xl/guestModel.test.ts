// Joining xl's outputs into guests (guestModel.buildGuests) on outputs recorded from the lab and on
// the lab's own guest configs: a guest's type is known from its config before `xl list -l`
// describes it, and a CPU % never claims more than the guest's vCPUs can use.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_GREP_PATTERN, parseConfigGrep } from '../../../electron/drivers/xl/configIndex';
import { buildGuests } from '../../../electron/drivers/xl/guestModel';
import { parseXlList, parseXlListLong } from '../../../electron/drivers/xl/parse';
import type { DomainSample } from '../../../electron/drivers/xl/parse/domain-sample';
import { MonitorRates, MonitorStream } from '../../../electron/drivers/xl/parse/monitor';
import { labFixture } from '../../fixtures/lab';

const KIT = new URL('../../lab/image/kit/', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'domus-configs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The config index of the lab's kit configs, read with the same grep the driver runs on the host. */
function kitConfigs(files: Record<string, string>) {
  const paths = Object.entries(files).map(([name, kit]) => {
    const p = path.join(dir, `${name}.cfg`);
    copyFileSync(path.join(KIT, kit), p);
    return p;
  });
  const out = execFileSync('grep', ['-H', '-E', CONFIG_GREP_PATTERN, ...paths], { encoding: 'utf8' });
  // The kit configs all say name = "kit-…": the index is by the name inside, as on the host.
  return parseConfigGrep(out).map((c, i) => ({ ...c, name: Object.keys(files)[i] }));
}

/** Live samples from the recorded monitor stream (the lab's dom0 and kit guests). */
function recordedSamples(): Map<string, DomainSample> {
  const parser = new MonitorStream();
  const rates = new MonitorRates();
  let last: DomainSample[] = [];
  for (const item of parser.push(labFixture('monitor').stdout)) if (item.kind === 'block') last = rates.push(item.block);
  return new Map(last.map((s) => [s.name, s]));
}

describe('a guest type', () => {
  it('comes from its config while xl list -l does not describe the domain yet', () => {
    const list = parseXlList(labFixture('xl-list').stdout);
    const configs = kitConfigs({ 'kit-pv': 'pv.cfg', 'kit-pvnet': 'pv-net.cfg', 'stopped-hvm': 'hvm.cfg', 'stopped-pvh': 'pvh.cfg' });
    // Right after `xl create` the domain is in xl list, but list -l has no config for it yet.
    const guests = buildGuests({ list, long: [], configs }, null);
    const typeOf = (name: string) => guests.find((g) => g.name === name)?.type;
    expect(typeOf('Domain-0')).toBe('pv');
    expect(typeOf('kit-pv')).toBe('pv');
    expect(typeOf('kit-pvnet')).toBe('pv');
    // Stopped guests: only their config says what they are.
    expect(typeOf('stopped-hvm')).toBe('hvm');
    expect(typeOf('stopped-pvh')).toBe('pvh');
  });

  it('is what xl list -l says once it describes the domain', () => {
    const list = parseXlList(labFixture('xl-list').stdout);
    const long = parseXlListLong(labFixture('xl-list-l').stdout);
    // A config that says hvm for a running kit-pv: the running domain is what xl says it is.
    const configs = kitConfigs({ 'kit-pv': 'hvm.cfg' });
    expect(buildGuests({ list, long, configs }, null).find((g) => g.name === 'kit-pv')?.type).toBe('pv');
  });
});

describe('a guest CPU %', () => {
  it('is never more than its vCPUs can use (100 % per vCPU)', () => {
    const list = parseXlList(labFixture('xl-list').stdout);
    const long = parseXlListLong(labFixture('xl-list-l').stdout);
    const live = recordedSamples();
    // Measured in the lab with dom0 (1 vCPU) kept busy: the monitor gave 103.1 %, 100.88 %,
    // 101.33 %… — the host's clock is read a moment after the domains' CPU times, and that
    // moment varies. One vCPU cannot be busier than all the time.
    live.set('Domain-0', { ...live.get('Domain-0')!, cpuPercent: 103.1 });
    live.set('kit-pv', { ...live.get('kit-pv')!, cpuPercent: 150 });
    const guests = buildGuests({ list, long, configs: [] }, live);
    const g = (name: string) => guests.find((x) => x.name === name)!;
    expect(g('Domain-0')).toMatchObject({ vcpus: 1, cpuPercent: 100 });
    // kit-pv has 2 vCPUs: 150 % is one and a half of them, a real figure.
    expect(g('kit-pv')).toMatchObject({ vcpus: 2, cpuPercent: 150 });
  });
});

// What the fuzz run feeds: each parser of host output with the lab recordings it is tested on.
// A target's run() does what Domus does with the text (parse, then the steps that use the
// result), so a problem anywhere on that path shows up.
import { XlCfg, XlCfgSyntaxError, XlDiskSpecError, parseDiskSpec } from '../../electron/drivers/xl/xlcfg';
import { buildCpuState, cpuOverview, vcpuPlacements } from '../../electron/drivers/xl/cpu';
import * as p from '../../electron/drivers/xl/parse';
import { dom0Needs, parseDesktopProbe, parsePciProbe } from '../../electron/drivers/xl/pciSafety';
import { labFixture } from '../fixtures/lab';

export interface FuzzTarget {
  name: string;
  /** Recorded texts to mutate. */
  seeds: string[];
  run(text: string): unknown;
  /** The parser's own typed error: a person gets a sentence for it, so it is not a crash. */
  typed(err: unknown): boolean;
}

const out = (name: string) => labFixture(name).stdout;
const parseError = (err: unknown) => err instanceof p.XlParseError;

function target(name: string, fixtures: string[], run: (text: string) => unknown): FuzzTarget {
  return { name, seeds: fixtures.map(out), run, typed: parseError };
}

// The CPU overview joins six outputs; each target mutates one of them, the rest stay recorded.
const CPU_INPUTS = {
  infoN: 'xl-info-n',
  poolList: 'xl-cpupool-list',
  poolListC: 'xl-cpupool-list-c',
  listC: 'xl-list-c',
  listL: 'xl-list-l',
} as const;

function cpuTarget(key: keyof typeof CPU_INPUTS): FuzzTarget {
  const recorded = Object.fromEntries(Object.entries(CPU_INPUTS).map(([k, f]) => [k, out(f)])) as Record<keyof typeof CPU_INPUTS, string>;
  return target(`cpu overview (${labFixture(CPU_INPUTS[key]).command})`, [CPU_INPUTS[key]], (text) =>
    cpuOverview(
      buildCpuState({ ...recorded, [key]: text, sched: { credit: null, credit2: out('xl-sched-credit2') } }),
    ),
  );
}

function monitor(text: string): unknown {
  const items = new p.MonitorStream().push(text);
  const rates = new p.MonitorRates();
  const pcpu = new p.PcpuUsage();
  return items.map((i) =>
    i.kind === 'block'
      ? { samples: rates.push(i.block), busy: i.block.idleNs && pcpu.push({ timeNs: i.block.timeNs, idleNs: i.block.idleNs }) }
      : i,
  );
}

const XLCFG = ['xlcfg-xlexample-hvm', 'xlcfg-xlexample-pvlinux'];

function readConfig(text: string): unknown {
  const cfg = XlCfg.parse(text);
  return cfg.keys().map((k) => [k, cfg.get(k), cfg.getNumber(k), cfg.getList(k)]);
}

export function fuzzTargets(): FuzzTarget[] {
  const errors = ['error-assignable-add-twice', 'error-console-unknown-domain', 'error-create-dry-run-syntax',
    'error-create-missing-kernel', 'error-duplicate-name', 'error-mem-set-above-max', 'error-pci-attach-no-passthrough',
    'error-pci-attach-not-assignable', 'error-pci-create-not-assignable', 'error-pci-detach-not-attached',
    'error-save-missing-dir', 'error-sched-credit-on-credit2', 'error-vcpu-pin-bad'];
  const disks = XLCFG.flatMap((f) => XlCfg.parse(out(f)).getList('disk').map(String));
  return [
    target('xl info', ['xl-info', 'xl-info-iommu', 'xl-info-noiommu', 'xl-info-n'], (t) => p.xlCapabilities(p.parseXlInfo(t))),
    target('xl info -n', ['xl-info-n'], p.parseXlInfoNuma),
    target('xl list', ['xl-list', 'xl-list-c'], p.parseXlList),
    target('xl list -c', ['xl-list-c'], p.parseXlListCpupool),
    target('xl list -l', ['xl-list-l', 'xl-list-l-guest', 'xl-list-l-pci'], p.parseXlListLong),
    target('xentop -b', ['xentop'], (t) => p.parseXentopBatch(t).map((f) => ({ frame: f, samples: p.xentopSamples(f) }))),
    target('monitor', ['monitor'], monitor),
    target('xl vcpu-list', ['xl-vcpu-list', 'xl-vcpu-list-offline'], vcpuPlacements),
    target('xl cpupool-list', ['xl-cpupool-list', 'xl-cpupool-list-c', 'xl-cpupool-list-c-credit'], p.parseCpupoolList),
    target('xl sched-credit', ['xl-sched-credit'], p.parseSchedCredit),
    target('xl sched-credit2', ['xl-sched-credit2'], p.parseSchedCredit2),
    target('lspci -Dnnmm', ['lspci-Dnnmm'], p.parseLspciDnnmm),
    target('xl pci-assignable-list', ['xl-pci-assignable-list'], p.parsePciAssignableList),
    target('xl pci-list', ['xl-pci-list'], p.parsePciList),
    target('xenstore-ls', ['xenstore-ls-domain'], (t) => {
      const tree = p.parseXenstoreLsDetailed(t);
      return { tree: [...tree.values], vnc: [0, 1, 2, 3].map((d) => [p.getVncPort(tree.values, d), p.getVncListen(tree.values, d)]) };
    }),
    target('xenstore-watch', ['xenstore-ls-domain'], (t) => p.lines(t).map((l) => p.parseXenstoreWatchLine(l.split(' = ')[0]))),
    target('xl dmesg', ['xl-dmesg'], (t) => p.ioVirtualisation(p.parseXlDmesg(t))),
    target('xl network-list', ['xl-network-list'], p.parseNetworkList),
    target('xl uptime', ['xl-uptime'], p.parseXlUptime),
    target('find -printf', ['find-kit'], p.parseFindListing),
    target('ip -j link', ['ip-link-bridge'], p.parseIpBridges),
    target('desktop probe', ['desktop-probe'], (t) => [...dom0Needs({ ...parsePciProbe(out('pci-probe')), desktop: parseDesktopProbe(t) })]),
    { name: 'xl stderr', seeds: errors.map((e) => labFixture(e).stderr), run: p.parseXlError, typed: () => false },
    cpuTarget('infoN'),
    cpuTarget('poolList'),
    cpuTarget('poolListC'),
    cpuTarget('listC'),
    cpuTarget('listL'),
    { name: 'xl.cfg', seeds: XLCFG.map(out), run: readConfig, typed: (e) => e instanceof XlCfgSyntaxError },
    { name: 'disk spec', seeds: disks, run: parseDiskSpec, typed: (e) => e instanceof XlDiskSpecError },
  ];
}

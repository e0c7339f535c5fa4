// The host checks a guest config must pass before xl can start it: boot files, bridges, disks, PCI
// devices, the memory the kernel needs, maxmem/maxvcpus, a unique name. The config editor, the
// CPU and PCI edits and the guest list's badge all ask here; every check of one call (or of every
// guest in a batch) runs as ONE fixed script on the host (CHECK_SCRIPT), with the paths, bridges
// and devices to look at as its positional arguments, never spliced into the text.
import { DomusError } from '../../api/errors';
import type { ConfigProblem } from '../../api/guests';
import { CONFIG_DIR, parseConfigGrep } from './configIndex';
import type { Run } from './lifecycle';
import { parseXlList } from './parse';
import { normaliseBdf } from './parse/util';
import { XlCfg, parseDiskSpec } from './xlcfg';

// Arguments are "<letter>:<value>"; the script answers each with one line "<index>\t<fields>" in
// section @@args, then the host-wide facts a check asked for:
//   p:<path>     kind (f d b o -; a dangling symlink is o, as in create/hostCheck)
//   k:<path>     kind, size, and the Linux boot header: "HdrS" magic, protocol version,
//                pref_address (0x258) and init_size (0x260) — what the kernel needs to unpack and run
//   r:<path>     kind, size, and a gzip file's uncompressed size (its last four bytes, RFC 1952)
//   b:<bridge>   1 when /sys/class/net/<bridge>/bridge exists (a Linux bridge), else 0
//   d:<bdf>      1 when /sys/bus/pci/devices/<bdf> exists, else 0
//   n:           asks for the sections @@domains (xl list) and @@names (name= of /etc/xen/*.cfg)
//   a:           asks for the section @@assignable (xl pci-assignable-list)
// The boot header's fields are read in one od of bytes 514–611 and put together in the shell:
// every fork costs tens of milliseconds in an emulated dom0 (one od per field took 1.8 s).
export const CHECK_SCRIPT = String.raw`i=0; names=; assign=
kind() { if [ -f "$1" ]; then K=f; elif [ -d "$1" ]; then K=d; elif [ -b "$1" ]; then K=b; elif [ -e "$1" ] || [ -L "$1" ]; then K=o; else K=-; fi; }
size() { S=$(stat -L -c %s -- "$1" 2>/dev/null) || S=0; }
le() { n=; for b; do n=$b$n; done; L=$((0x\${n:-0})); }
hdr() { [ $# -ge 98 ] || { printf '\t\t\t'; return; }; le $5 $6; P=$L; le \${87} \${88} \${89} \${90} \${91} \${92} \${93} \${94}; A=$L; le \${95} \${96} \${97} \${98}; printf '%s%s%s%s\t%s\t%s\t%s' $1 $2 $3 $4 $P $A $L; }
echo '@@args'
for a; do
  v=\${a#??}
  case $a in
    p:*) kind "$v"; printf '%s\t%s\n' $i $K;;
    k:*) kind "$v"; if [ $K = f ]; then size "$v"; printf '%s\tf\t%s\t' $i "$S"; hdr $(od -An -v -tx1 -j 514 -N 98 -- "$v" 2>/dev/null); echo; else printf '%s\t%s\n' $i $K; fi;;
    r:*) kind "$v"; if [ $K = f ]; then size "$v"; z=; [ "$(od -An -tx1 -N 2 -- "$v" 2>/dev/null)" = " 1f 8b" ] && z=$(tail -c 4 -- "$v" | od -An -tu4); printf '%s\tf\t%s\t%s\n' $i "$S" $z; else printf '%s\t%s\n' $i $K; fi;;
    b:*) if [ -d "/sys/class/net/$v/bridge" ]; then printf '%s\t1\n' $i; else printf '%s\t0\n' $i; fi;;
    d:*) if [ -e "/sys/bus/pci/devices/$v" ]; then printf '%s\t1\n' $i; else printf '%s\t0\n' $i; fi;;
    n:*) names=1; printf '%s\t1\n' $i;;
    a:*) assign=1; printf '%s\t1\n' $i;;
    *) printf '%s\t?\n' $i;;
  esac
  i=$((i+1))
done
if [ -n "$names" ]; then
  echo '@@domains'; xl list 2>/dev/null
  echo '@@names'; find ${CONFIG_DIR} -maxdepth 1 -type f -name '*.cfg' -exec grep -H -E '^[[:space:]]*name[[:space:]]*=' {} + 2>/dev/null
fi
if [ -n "$assign" ]; then echo '@@assignable'; xl pci-assignable-list 2>/dev/null; fi
echo '@@end'
`.replace(/\\\$/g, '$');

export type PathKind = 'f' | 'd' | 'b' | 'o' | '-';

export interface KernelFacts {
  kind: PathKind;
  sizeBytes: number;
  /** From the Linux boot header of a bzImage (protocol ≥ 2.10), else null. */
  prefAddress: number | null;
  initSize: number | null;
}

export interface RamdiskFacts {
  kind: PathKind;
  sizeBytes: number;
  /** A gzip file's uncompressed size, else null. */
  unpackedBytes: number | null;
}

/** What the host said, keyed by the value asked about. */
export interface HostFacts {
  paths: Map<string, PathKind>;
  kernels: Map<string, KernelFacts>;
  ramdisks: Map<string, RamdiskFacts>;
  bridges: Map<string, boolean>;
  pciDevices: Map<string, boolean>;
  /** Running domains; null when not asked. */
  domains: string[] | null;
  /** name= of every config in /etc/xen, with its path; null when not asked. */
  configNames: { path: string; name: string }[] | null;
  assignable: Set<string> | null;
}

/** The argument list for a set of questions (duplicates asked once). */
export class Questions {
  private readonly set = new Set<string>();
  path(p: string) { this.set.add(`p:${p}`); }
  kernel(p: string) { this.set.add(`k:${p}`); }
  ramdisk(p: string) { this.set.add(`r:${p}`); }
  bridge(b: string) { this.set.add(`b:${b}`); }
  pci(bdf: string) { this.set.add(`d:${bdf}`); this.set.add('a:'); }
  names() { this.set.add('n:'); }
  args(): string[] { return [...this.set]; }
}

const KINDS = new Set(['f', 'd', 'b', 'o', '-']);
const asKind = (s: string | undefined): PathKind => (KINDS.has(s ?? '') ? (s as PathKind) : 'o');
const int = (s: string | undefined): number | null => (s && /^\d+$/.test(s) ? Number(s) : null);

export function parseCheckOutput(args: string[], stdout: string): HostFacts {
  const sections: Record<string, string[]> = {};
  let cur: string | null = null;
  for (const line of stdout.split('\n')) {
    const m = /^@@(\w+)$/.exec(line);
    if (m) sections[(cur = m[1])] = [];
    else if (cur) sections[cur].push(line);
  }
  if (!sections.end) throw new Error('the host check did not finish');
  const f: HostFacts = { paths: new Map(), kernels: new Map(), ramdisks: new Map(), bridges: new Map(), pciDevices: new Map(), domains: null, configNames: null, assignable: null };
  for (const line of sections.args ?? []) {
    const [idx, ...rest] = line.split('\t');
    const a = args[Number(idx)];
    if (a === undefined) continue;
    const v = a.slice(2);
    switch (a[0]) {
      case 'p': f.paths.set(v, asKind(rest[0])); break;
      case 'k': {
        const [kind, size, magic, proto, pref, init] = rest;
        // init_size and pref_address are in the header from boot protocol 2.10 on.
        const boot = magic === '48647253' && (int(proto) ?? 0) >= 0x20a;
        f.kernels.set(v, { kind: asKind(kind), sizeBytes: int(size) ?? 0, prefAddress: boot ? int(pref) : null, initSize: boot ? int(init) : null });
        break;
      }
      case 'r': f.ramdisks.set(v, { kind: asKind(rest[0]), sizeBytes: int(rest[1]) ?? 0, unpackedBytes: int(rest[2]) }); break;
      case 'b': f.bridges.set(v, rest[0] === '1'); break;
      case 'd': f.pciDevices.set(v, rest[0] === '1'); break;
    }
  }
  if (sections.domains) f.domains = parseXlList(sections.domains.join('\n')).map((d) => d.name);
  if (sections.names) f.configNames = parseConfigGrep(sections.names.join('\n')).map((e) => ({ path: e.path, name: e.name }));
  if (sections.assignable) f.assignable = new Set(sections.assignable.map((l) => normaliseBdf(l.trim().split(/\s/)[0] ?? '')).filter((b): b is string => !!b));
  return f;
}

export async function askHost(run: Run, q: Questions): Promise<HostFacts> {
  const args = q.args();
  const r = await run(['sh', '-c', CHECK_SCRIPT, 'domus-config-check', ...args], { timeoutMs: 60_000 });
  try {
    return parseCheckOutput(args, r.stdout);
  } catch {
    throw new DomusError('command_failed', 'Domus could not run its checks of the config on the host.', r.stderr.trim() || `exit code ${r.code}`);
  }
}

const MiB = 1024 * 1024;

/** The 1-based line where key is set (the last `key =`, as xl reads the last one), or null. */
export function keyLine(text: string, key: string): number | null {
  const re = new RegExp(`^[ \\t]*${key.replace(/\./g, '\\.')}[ \\t]*\\+?=`);
  let found: number | null = null;
  text.split('\n').forEach((l, i) => {
    if (re.test(l)) found = i + 1;
  });
  return found;
}

/** What one check needs from the config, read once. */
export interface CheckSubject {
  /** The guest's name as it is now (running domain / previous config), to tell a rename. */
  currentName: string | null;
  configPath: string;
  text: string;
}

interface Parsed {
  cfg: XlCfg;
  type: 'pv' | 'pvh' | 'hvm';
  kernel: string | null;
  ramdisk: string | null;
  bootloader: string | null;
  bridges: string[];
  disks: { index: number; target: string | null; cdrom: boolean; empty: boolean; error: string | null }[];
  pci: { entry: string; bdf: string | null; seize: boolean }[];
}

function guestType(cfg: XlCfg): 'pv' | 'pvh' | 'hvm' {
  const t = cfg.getString('type');
  if (t === 'pv' || t === 'pvh' || t === 'hvm') return t;
  return cfg.getString('builder') === 'hvm' ? 'hvm' : 'pv';
}

const strings = (cfg: XlCfg, key: string) => cfg.getList(key).filter((v): v is string => typeof v === 'string');
const kv = (spec: string) => new Map(spec.split(',').map((p) => p.trim()).filter(Boolean).map((p) => { const i = p.indexOf('='); return i < 0 ? [p, ''] as const : [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const; }));

function parse(cfg: XlCfg): Parsed {
  const type = guestType(cfg);
  const disks = strings(cfg, 'disk').map((spec, index) => {
    try {
      const d = parseDiskSpec(spec);
      return { index, target: d.target, cdrom: d.devtype === 'cdrom' || /:cdrom$/.test(d.vdev ?? ''), empty: d.format === 'empty' || !d.target || !!d.script, error: null };
    } catch (err) {
      return { index, target: null, cdrom: false, empty: true, error: err instanceof Error ? err.message : String(err) };
    }
  });
  return {
    cfg,
    type,
    kernel: cfg.getString('kernel') ?? null,
    ramdisk: cfg.getString('ramdisk') ?? null,
    bootloader: cfg.getString('bootloader') ?? null,
    bridges: strings(cfg, 'vif').map((v) => kv(v).get('bridge')).filter((b): b is string => !!b),
    disks,
    pci: strings(cfg, 'pci').map((entry) => {
      const opts = kv(entry.replace(/^[^,]*/, ''));
      return { entry, bdf: normaliseBdf(entry.split(',')[0].split('@')[0].trim()), seize: opts.get('seize') === '1' };
    }),
  };
}

/** The questions a config raises (added to q, so a batch of guests asks once). */
export function questionsFor(cfg: XlCfg, q: Questions, opts: { names: boolean }): void {
  const p = parse(cfg);
  if (p.kernel?.startsWith('/')) q.kernel(p.kernel);
  if (p.ramdisk?.startsWith('/')) q.ramdisk(p.ramdisk);
  if (p.bootloader?.startsWith('/')) q.path(p.bootloader);
  for (const b of p.bridges) q.bridge(b);
  for (const d of p.disks) if (d.target?.startsWith('/')) q.path(d.target);
  for (const d of p.pci) if (d.bdf) q.pci(d.bdf);
  if (opts.names) q.names();
}

/**
 * The least memory (MiB) a guest booting this kernel directly can start with, or null when Domus
 * cannot tell (no kernel= in a bzImage, a bootloader, HVM firmware boot).
 *
 *   floor = pref_address + init_size        where the kernel is loaded and how much it needs from
 *                                           there to unpack and run its image (Linux boot
 *                                           protocol, Documentation/arch/x86/boot.rst, header
 *                                           fields 0x258 and 0x260)
 *         + ramdisk, unpacked               libxc unpacks a gzip ramdisk for PV
 *                                           (xg_dom_core.c xc_dom_ramdisk_check_size) and the
 *                                           kernel unpacks the initramfs again into page cache
 *         + 4 MiB                           PV: start info, xenstore and console pages, page
 *                                           tables and boot stack after the kernel, rounded up to
 *                                           4 MiB (libxc's virt_pgtab_end), and the p2m list
 *         + videoram (HVM only)             libxl gives an HVM guest memory − videoram as RAM
 *                                           (libxl_dom.c libxl__build_hvm: mem_size = max_memkb −
 *                                           video_memkb); xl's default is 8 MiB (xl.cfg(5)), and
 *                                           1 MiB for the BIOS area below the kernel
 * Shadow memory (shadow_memory, 1 MiB per vCPU + 8 KiB per MiB for HVM/PVH) is allocated on top of
 * memory= by libxl, so it needs free host memory, not a higher floor.
 * Measured on the lab with the kit's PV guest (8 MiB bzImage, init_size 63.6 MiB, 2.4 MiB
 * initramfs; floor 87 MiB): 72 and 76 MiB fail in xl create (libxc: "segment kernel/module0 too
 * large ... Out of memory"), 80 MiB panics out of memory while booting, 84 and 86 MiB were still
 * running 50 s in, 87 and 88 MiB boot to the shell (test/lab/suite/config-checks.lab.test.ts
 * checks 80 and the floor): the floor may be a few MiB on the safe side (init_size also covers the
 * decompressor's scratch space, which a PV guest, loaded as an unpacked ELF by libxc, does not use).
 */

export function memoryFloorMiB(type: Parsed['type'], kernel: KernelFacts | undefined, ramdisk: RamdiskFacts | undefined, videoramMiB: number | null): number | null {
  if (!kernel || kernel.kind !== 'f' || kernel.initSize === null || kernel.prefAddress === null) return null;
  const rd = ramdisk && ramdisk.kind === 'f' ? (ramdisk.unpackedBytes ?? ramdisk.sizeBytes) : 0;
  let bytes = kernel.prefAddress + kernel.initSize + rd + 4 * MiB;
  if (type === 'hvm') bytes += ((videoramMiB ?? 8) + 1) * MiB;
  return Math.ceil(bytes / MiB);
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** Every problem the config has on this host (facts from askHost). */
export function configProblems(subject: CheckSubject, cfg: XlCfg, facts: HostFacts, opts: { baseCfg?: XlCfg | null; willExist?: ReadonlySet<string> } = {}): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const p = parse(cfg);
  const at = (key: string) => keyLine(subject.text, key);
  const add = (key: string, code: string, severity: ConfigProblem['severity'], what: string, params?: ConfigProblem['params']) => {
    const line = at(key);
    out.push({ key, line, code, severity, message: `${line ? `Line ${line}` : 'The config'}: ${key} ${what}`, ...(params ? { params } : {}) });
  };
  const needFile = (key: string, path: string, kind: PathKind | undefined) => {
    if (kind !== 'f') add(key, `${key}.missing`, 'error', `names ${path}, which ${kind === undefined || kind === '-' ? 'does not exist on the host' : 'is not a regular file on the host'}; xl cannot start the guest.`);
  };
  const kernel = p.kernel ? facts.kernels.get(p.kernel) : undefined;
  const ramdisk = p.ramdisk ? facts.ramdisks.get(p.ramdisk) : undefined;
  if (p.kernel) {
    if (!p.kernel.startsWith('/')) add('kernel', 'kernel.relative', 'error', `"${p.kernel}" is not an absolute path; give the kernel's full path on the host.`);
    else needFile('kernel', p.kernel, kernel?.kind);
  }
  if (p.ramdisk) {
    if (!p.ramdisk.startsWith('/')) add('ramdisk', 'ramdisk.relative', 'error', `"${p.ramdisk}" is not an absolute path; give the ramdisk's full path on the host.`);
    else needFile('ramdisk', p.ramdisk, ramdisk?.kind);
  }
  if (p.bootloader?.startsWith('/')) needFile('bootloader', p.bootloader, facts.paths.get(p.bootloader));
  for (const b of new Set(p.bridges)) {
    if (facts.bridges.get(b) === false) add('vif', 'vif.bridge', 'error', `names the bridge ${b}, which is not a bridge on the host; xl cannot attach the network interface.`);
  }
  for (const d of p.disks) {
    const n = d.index + 1;
    if (d.error) add('disk', 'disk.invalid', 'error', `entry ${n} is not a valid disk spec: ${d.error}`);
    else if (d.target?.startsWith('/') && !d.empty && !opts.willExist?.has(d.target)) {
      const k = facts.paths.get(d.target);
      if (k !== 'f' && k !== 'b') {
        const why = k === undefined || k === '-' ? 'does not exist on the host' : 'is neither an image file nor a block device';
        add('disk', d.cdrom ? 'disk.cdromMissing' : 'disk.missing', d.cdrom ? 'warning' : 'error', `entry ${n}: ${d.target} ${why}${d.cdrom ? '; the CD-ROM drive will start empty.' : '; xl cannot start the guest.'}`);
      }
    }
  }
  const basePci = new Set(opts.baseCfg ? parse(opts.baseCfg).pci.map((x) => x.bdf) : []);
  for (const d of p.pci) {
    if (!d.bdf) add('pci', 'pci.invalid', 'error', `entry "${d.entry}" does not start with a PCI address (0000:00:00.0).`);
    else if (facts.pciDevices.get(d.bdf) === false) add('pci', 'pci.missing', 'error', `names the PCI device ${d.bdf}, which is not on the host.`);
    else if (facts.assignable && !facts.assignable.has(d.bdf) && !d.seize) {
      const already = basePci.has(d.bdf);
      add('pci', 'pci.notAssignable', already ? 'warning' : 'error', `names the PCI device ${d.bdf}, which is not assignable (xl pci-assignable-list); the guest will not start until it is made assignable${already ? '' : ' or the entry says seize=1'}.`);
    }
  }
  const memory = cfg.getNumber('memory');
  const maxmem = cfg.getNumber('maxmem');
  const vcpus = cfg.getNumber('vcpus');
  const maxvcpus = cfg.getNumber('maxvcpus');
  const floor = memoryFloorMiB(p.type, kernel, ramdisk, cfg.getNumber('videoram') ?? null);
  if (memory !== undefined && floor !== null && memory < floor) {
    const rd = ramdisk?.kind === 'f' ? ` and the ramdisk ${p.ramdisk} ${mib(ramdisk.unpackedBytes ?? ramdisk.sizeBytes)} unpacked` : '';
    add('memory', 'memory.belowFloor', 'error', `= ${memory} MiB is below the ${floor} MiB this ${p.type.toUpperCase()} guest needs: the kernel ${p.kernel} needs ${mib(kernel!.prefAddress! + kernel!.initSize!)} to unpack and run${rd}, plus xl's and the kernel's own overhead. Give it at least ${floor} MiB.`, { memory, floor });
  }
  if (memory !== undefined && maxmem !== undefined && maxmem < memory) {
    add('maxmem', 'maxmem.belowMemory', 'error', `= ${maxmem} MiB is less than memory = ${memory} MiB; maxmem must be at least memory.`);
  }
  if (vcpus !== undefined && maxvcpus !== undefined && vcpus > maxvcpus) {
    add('vcpus', 'vcpus.aboveMax', 'error', `= ${vcpus} is more than maxvcpus = ${maxvcpus}; vcpus must be at most maxvcpus.`);
  }
  const name = cfg.getString('name');
  if (!name) add('name', 'name.missing', 'error', 'is not set; xl needs a name to start the guest.');
  else {
    const other = facts.configNames?.find((c) => c.name === name && c.path !== subject.configPath);
    if (other) add('name', 'name.taken', 'error', `"${name}" is also the name in ${other.path}; two guests cannot share a name.`);
    else if (name !== subject.currentName && facts.domains?.includes(name)) add('name', 'name.running', 'error', `"${name}" is the name of a running domain; two guests cannot share a name.`);
  }
  return out;
}

/** The kernel's memory floor as a wizard problem (the wizard's own rules cover the rest). */
export function floorProblem(problems: ConfigProblem[]): ConfigProblem | undefined {
  return problems.find((p) => p.code === 'memory.belowFloor');
}

/** The checks of one config, in one round trip to the host. */
export async function checkConfig(run: Run, subject: CheckSubject, opts: { baseText?: string | null } = {}): Promise<ConfigProblem[]> {
  const cfg = XlCfg.parse(subject.text);
  const q = new Questions();
  questionsFor(cfg, q, { names: true });
  const baseCfg = opts.baseText ? safeParse(opts.baseText) : null;
  return configProblems(subject, cfg, await askHost(run, q), { baseCfg });
}

function safeParse(text: string): XlCfg | null {
  try {
    return XlCfg.parse(text);
  } catch {
    return null;
  }
}

/** The checks of many configs (the guest list's badges), in one round trip; unreadable ones are left out. */
export async function checkConfigs(run: Run, subjects: CheckSubject[]): Promise<Map<string, ConfigProblem[]>> {
  const out = new Map<string, ConfigProblem[]>();
  const parsed = subjects.map((s) => ({ s, cfg: safeParse(s.text) })).filter((x): x is { s: CheckSubject; cfg: XlCfg } => x.cfg !== null);
  if (!parsed.length) return out;
  const q = new Questions();
  for (const x of parsed) questionsFor(x.cfg, q, { names: true });
  const facts = await askHost(run, q);
  for (const x of parsed) out.set(x.s.configPath, configProblems(x.s, x.cfg, facts, { baseCfg: x.cfg }));
  return out;
}

/** Problems of `after` that `before` did not have (same code, key and sentence): what an edit introduced. */
export function introduced(before: ConfigProblem[], after: ConfigProblem[]): ConfigProblem[] {
  const sig = (p: ConfigProblem) => `${p.code}|${p.message.replace(/^Line \d+: /, '')}`;
  const had = new Set(before.map(sig));
  return after.filter((p) => !had.has(sig(p)));
}

/**
 * The checks of a small edit (CPU, PCI): before and after in one round trip. Errors the edit
 * introduced refuse it; problems the config already had are only reported (the edit did not
 * cause them, and blocking a CPU change over a missing ISO elsewhere would help nobody).
 */
export async function checkEdit(run: Run, configPath: string, beforeText: string, afterText: string): Promise<{ introducedErrors: ConfigProblem[]; others: ConfigProblem[] }> {
  const before = XlCfg.parse(beforeText);
  const after = XlCfg.parse(afterText);
  const q = new Questions();
  questionsFor(before, q, { names: true });
  questionsFor(after, q, { names: true });
  const facts = await askHost(run, q);
  const currentName = before.getString('name') ?? null;
  const was = configProblems({ currentName, configPath, text: beforeText }, before, facts, { baseCfg: before });
  const now = configProblems({ currentName, configPath, text: afterText }, after, facts, { baseCfg: before });
  const added = new Set(introduced(was, now));
  return { introducedErrors: [...added].filter((p) => p.severity === 'error'), others: now.filter((p) => !added.has(p) || p.severity !== 'error') };
}

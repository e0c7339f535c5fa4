// Who uses which disk on an xl host, asked at the moment of an operation (never from a cache: a
// guest made or removed in a shell a moment ago must count). One fixed python3 script collects, in
// one round trip, every config Domus knows (/etc/xen/*.cfg and the autostart directory), the
// running domains (`xl list -l`, so a guest started from a config Domus never saw counts too),
// what dom0 itself holds (mounts, swap, LVM PVs, device-mapper/md holders, loop backing files, and
// the disks and partitions under them), the save images in /var/lib/xen/save and the configs'
// backups; and it stats every path it was given or found in those configs. Two paths are the same
// disk when they are the same device (major:minor) or the same file (device + inode), so
// /dev/vg/lv and /dev/mapper/vg-lv, or an image and a symlink to it, are one disk.
//
// dom0 is read from /proc/self/mountinfo, /proc/swaps and /sys/class/block (holders, slaves,
// partitions) rather than findmnt and lsblk: the same facts without a fork per device.
//
// Disk specs are parsed here (parseDiskSpec), not in the script: the script only stats every
// path-looking part of every quoted string in a config, so that whatever the parser picks as the
// target has its identity at hand; a target the script missed is stat'ed in a second run.
import { DomusError } from '../../api/errors';
import { diskRefusalLine, type DiskUser } from '../../api/lifecycle';
import type { Run } from './lifecycle';
import { XlCfg, XlCfgSyntaxError, parseDiskSpec } from './xlcfg';

export const SAVE_DIR = '/var/lib/xen/save';

export const DISK_USAGE_SCRIPT = [
  'import glob, json, os, re, stat, subprocess, sys',
  'out = {"configs": [], "domains": None, "domainsError": None, "ids": {}, "dom0": [], "saves": [], "baks": []}',
  'def ident(p):',
  '    try:',
  '        st = os.stat(p)',
  '    except (OSError, ValueError):',
  '        return None',
  '    if stat.S_ISBLK(st.st_mode):',
  '        return "b:%d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))',
  '    return "f:%d:%d" % (st.st_dev, st.st_ino)',
  'def size(p):',
  '    try:',
  '        return os.stat(p).st_size',
  '    except OSError:',
  '        return None',
  'want = set(sys.argv[1:])',
  'QUOTED = re.compile(r"\\"([^\\"\\n]*)\\"|\'([^\'\\n]*)\'")',
  'PREFIX = re.compile(r"^(?:[A-Za-z0-9]+:)+(?=/)")',
  'def candidates(s):',
  '    if "target=" in s:',
  '        yield s.split("target=", 1)[1].strip()',
  '    for part in s.split(","):',
  '        part = part.strip()',
  '        if "=" in part and not part.startswith("/"):',
  '            part = part.split("=", 1)[1].strip()',
  '        part = PREFIX.sub("", part)',
  '        if part.startswith("/"):',
  '            yield part',
  'seen = set()',
  'for f in sorted(glob.glob("/etc/xen/*.cfg")) + sorted(glob.glob("/etc/xen/auto/*")):',
  '    real = os.path.realpath(f)',
  '    if real in seen or not os.path.isfile(real):',
  '        continue',
  '    seen.add(real)',
  '    try:',
  '        with open(real, "rb") as fh:',
  '            text = fh.read(1048576).decode("utf-8", "replace")',
  '    except OSError:',
  '        continue',
  '    out["configs"].append({"path": f, "text": text})',
  '    for m in QUOTED.finditer(text):',
  '        for c in candidates(m.group(1) if m.group(1) is not None else m.group(2)):',
  '            want.add(c)',
  'try:',
  '    r = subprocess.run(["xl", "list", "-l"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)',
  '    text = r.stdout.decode("utf-8", "replace")',
  '    if r.returncode != 0:',
  '        out["domainsError"] = r.stderr.decode("utf-8", "replace").strip() or ("exit code %d" % r.returncode)',
  '    else:',
  '        out["domains"] = text',
  '        i = text.find("[")',
  '        for d in (json.loads(text[i:]) if i >= 0 else []):',
  '            for disk in (d.get("config") or {}).get("disks") or []:',
  '                if disk.get("pdev_path"):',
  '                    want.add(disk["pdev_path"])',
  'except Exception as e:',
  '    out["domainsError"] = "%s: %s" % (type(e).__name__, e)',
  'for p in want:',
  '    out["ids"][p] = ident(p)',
  'def unesc(s):',
  '    return re.sub(r"\\\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), s)',
  'dom0 = out["dom0"]',
  'try:',
  '    for line in open("/proc/self/mountinfo"):',
  '        left, _, right = line.partition(" - ")',
  '        f, r = left.split(), right.split()',
  '        mp = unesc(f[4])',
  '        src = unesc(r[1]) if len(r) > 1 else ""',
  '        i = ident(src) if src.startswith("/") else None',
  '        if i and i.startswith("b:"):',
  '            dom0.append({"id": i, "what": "mounted at " + mp})',
  '        if not f[2].startswith("0:"):',
  '            dom0.append({"id": "b:" + f[2], "what": "mounted at " + mp})',
  'except OSError:',
  '    pass',
  'try:',
  '    for line in open("/proc/swaps").read().splitlines()[1:]:',
  '        p = unesc(line.split()[0]) if line.split() else ""',
  '        i = ident(p)',
  '        if i:',
  '            dom0.append({"id": i, "what": "swap"})',
  'except OSError:',
  '    pass',
  'try:',
  '    r = subprocess.run(["pvs", "--noheadings", "-o", "pv_name"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)',
  '    for p in r.stdout.decode("utf-8", "replace").split():',
  '        i = ident(p)',
  '        if i:',
  '            dom0.append({"id": i, "what": "LVM physical volume"})',
  'except OSError:',
  '    pass',
  'SYS = "/sys/class/block"',
  'def ls(p):',
  '    try:',
  '        return sorted(os.listdir(p))',
  '    except OSError:',
  '        return []',
  'def read(p):',
  '    try:',
  '        with open(p) as fh:',
  '            return fh.read().strip()',
  '    except OSError:',
  '        return ""',
  'devs = {b: read(SYS + "/" + b + "/dev") for b in ls(SYS)}',
  'byid = {"b:" + d: b for b, d in devs.items() if d}',
  'for b in devs:',
  '    held = ls(SYS + "/" + b + "/holders")',
  '    if held:',
  '        dom0.append({"id": "b:" + devs[b], "what": "held by " + ", ".join(held)})',
  '    back = read(SYS + "/" + b + "/loop/backing_file")',
  '    if back:',
  '        i = ident(back)',
  '        if i:',
  '            dom0.append({"id": i, "what": "attached to /dev/" + b, "loop": True})',
  '# What lies under a device dom0 uses is in use too: its slaves (the PV under an LV, the members',
  '# of an md array) and the disk a partition is on.',
  'todo = [(u["id"], u["what"]) for u in dom0 if u["id"] in byid]',
  'done = set(u["id"] for u in dom0)',
  'while todo:',
  '    i, what = todo.pop()',
  '    b = byid[i]',
  '    under = ["b:" + devs.get(s, "") for s in ls(SYS + "/" + b + "/slaves")]',
  '    if os.path.exists(SYS + "/" + b + "/partition"):',
  '        under.append("b:" + devs.get(os.path.basename(os.path.dirname(os.path.realpath(SYS + "/" + b))), ""))',
  '    for u in under:',
  '        if u in byid and u not in done:',
  '            done.add(u)',
  '            w = "holds /dev/%s (%s)" % (b, what)',
  '            dom0.append({"id": u, "what": w})',
  '            todo.append((u, w))',
  'for p in sorted(glob.glob("/var/lib/xen/save/*")):',
  '    if not os.path.isfile(p):',
  '        continue',
  '    try:',
  '        with open(p, "rb") as fh:',
  '            head = fh.read(65536)',
  '    except OSError:',
  '        continue',
  '    if not head.startswith(b"Xen saved domain, xl format"):',
  '        continue',
  '    h = head.decode("latin-1")',
  '    m = re.search(r"\\"c_info\\"\\s*:\\s*\\{.*?\\"name\\"\\s*:\\s*\\"([^\\"]*)\\"", h, re.S) or re.search(r"^\\s*name\\s*=\\s*[\\"\']([^\\"\']*)", h, re.M)',
  '    out["saves"].append({"path": p, "name": m.group(1) if m else None, "size": size(p)})',
  'for p in sorted(glob.glob("/etc/xen/*.bak*")):',
  '    if os.path.isfile(p):',
  '        out["baks"].append({"path": p, "size": size(p)})',
  'sys.stdout.write(json.dumps(out))',
].join('\n');

/** Argv of the probe; `paths` are stat'ed besides every path found on the host. */
export const diskUsageArgv = (paths: string[]): string[] => ['python3', '-c', DISK_USAGE_SCRIPT, ...paths];

export interface DiskUsageProbe {
  configs: { path: string; text: string }[];
  /** `xl list -l` as printed, or null when it failed (domainsError says why). */
  domains: string | null;
  domainsError: string | null;
  /** Identity of each path: "b:major:minor" (block device), "f:dev:inode" (anything else), null when missing. */
  ids: Record<string, string | null>;
  dom0: { id: string; what: string; loop?: boolean }[];
  saves: { path: string; name: string | null; size: number | null }[];
  baks: { path: string; size: number | null }[];
}

export function parseDiskUsageProbe(stdout: string): DiskUsageProbe {
  const v = JSON.parse(stdout) as DiskUsageProbe;
  if (!v || typeof v !== 'object' || !Array.isArray(v.configs) || !Array.isArray(v.dom0) || typeof v.ids !== 'object') {
    throw new Error('the disk usage probe printed something else than its JSON');
  }
  return v;
}

/** One use of a disk: by a guest (running domain or config), or by dom0 (guest null). */
export interface DiskUse {
  key: string;
  target: string;
  guest: string | null;
  configPath: string | null;
  access: 'rw' | 'ro';
  running: boolean;
  /** dom0: what holds it ("mounted at /", "swap"); a guest: null. */
  what: string | null;
}

export interface HostDiskUses {
  uses: DiskUse[];
  /** Disks Domus could not read (an invalid spec in a config): never silently taken as unused. */
  unreadable: { configPath: string; spec: string; why: string }[];
  probe: DiskUsageProbe;
}

/** Same disk ⇔ same key: the identity on the host, or the literal path when nothing is there. */
export const diskKey = (probe: Pick<DiskUsageProbe, 'ids'>, target: string): string => probe.ids[target] ?? `p:${target}`;

const isReadOnly = (d: { access: string | null; devtype: string | null; vdev: string | null }) =>
  d.access === 'r' || d.access === 'ro' || d.devtype === 'cdrom' || /:cdrom$/.test(d.vdev ?? '');

export interface ConfigDisk {
  target: string;
  access: 'rw' | 'ro';
  spec: string;
}

/** The disks a config text names; an unparseable spec is reported, not skipped. */
export function configDisks(text: string): { disks: ConfigDisk[]; name: string | null; unreadable: { spec: string; why: string }[] } {
  const cfg = XlCfg.parse(text);
  const disks: ConfigDisk[] = [];
  const unreadable: { spec: string; why: string }[] = [];
  for (const spec of cfg.getList('disk')) {
    if (typeof spec !== 'string') {
      unreadable.push({ spec: String(spec), why: 'a disk entry is not a string' });
      continue;
    }
    try {
      const d = parseDiskSpec(spec);
      if (!d.target) continue; // an empty CD-ROM drive
      disks.push({ target: d.target, access: isReadOnly(d) ? 'ro' : 'rw', spec });
    } catch (err) {
      unreadable.push({ spec, why: err instanceof Error ? err.message : String(err) });
    }
  }
  return { disks, name: cfg.getString('name') ?? null, unreadable };
}

interface RunningDomain {
  name: string;
  disks: { target: string; access: 'rw' | 'ro' }[];
}

/** The running guests and their disks from `xl list -l` (dom0 left out). */
export function runningDomains(text: string): RunningDomain[] {
  const i = text.search(/^[[{]/m);
  if (i < 0) return [];
  const parsed: unknown = JSON.parse(text.slice(i));
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const truthy = (v: unknown) => v === true || v === 'True' || v === 1;
  return (Array.isArray(parsed) ? parsed : [parsed])
    .map(obj)
    .filter((d) => d.domid !== 0)
    .map((d) => {
      const config = obj(d.config);
      const disks = Array.isArray(config.disks) ? config.disks.map(obj) : [];
      return {
        name: String(obj(config.c_info).name ?? ''),
        disks: disks
          .filter((k) => typeof k.pdev_path === 'string' && k.pdev_path !== '')
          .map((k) => ({ target: k.pdev_path as string, access: truthy(k.readwrite) && !truthy(k.is_cdrom) ? ('rw' as const) : ('ro' as const) })),
      };
    });
}

/** Every use of every disk the probe saw. */
export function hostDiskUses(probe: DiskUsageProbe): HostDiskUses {
  if (probe.domains === null) {
    throw new DomusError('command_failed', 'Domus could not read which guests are running (xl list -l), so it cannot tell which disks are in use; nothing was changed.', probe.domainsError ?? undefined);
  }
  const uses: DiskUse[] = [];
  const unreadable: HostDiskUses['unreadable'] = [];
  let domains: RunningDomain[];
  try {
    domains = runningDomains(probe.domains);
  } catch (err) {
    throw new DomusError('command_failed', 'Domus could not read which guests are running (xl list -l printed something it does not understand); nothing was changed.', String(err));
  }
  const runningKeys = new Set<string>();
  for (const d of domains) {
    for (const k of d.disks) {
      const key = diskKey(probe, k.target);
      runningKeys.add(`${d.name}\0${key}`);
      uses.push({ key, target: k.target, guest: d.name, configPath: null, access: k.access, running: true, what: null });
    }
  }
  const loopOfGuest = new Set(uses.map((u) => u.key));
  for (const c of probe.configs) {
    let parsed: ReturnType<typeof configDisks>;
    try {
      parsed = configDisks(c.text);
    } catch (err) {
      unreadable.push({ configPath: c.path, spec: '', why: err instanceof Error ? err.message : String(err) });
      continue;
    }
    for (const u of parsed.unreadable) unreadable.push({ configPath: c.path, ...u });
    const name = parsed.name ?? c.path;
    for (const d of parsed.disks) {
      const key = diskKey(probe, d.target);
      if (runningKeys.has(`${name}\0${key}`)) continue;
      uses.push({ key, target: d.target, guest: name, configPath: c.path, access: d.access, running: false, what: null });
    }
  }
  const dom0Seen = new Set<string>();
  for (const u of probe.dom0) {
    // blkback's own loop device for a running guest's image is that guest's use, not dom0's.
    if (u.loop && loopOfGuest.has(u.id)) continue;
    if (dom0Seen.has(`${u.id}\0${u.what}`)) continue;
    dom0Seen.add(`${u.id}\0${u.what}`);
    uses.push({ key: u.id, target: u.id, guest: null, configPath: null, access: 'rw', running: true, what: u.what });
  }
  return { uses, unreadable, probe };
}

/** Runs the probe (stat'ing `paths` too) and reads it; targets the script missed get a second stat. */
export async function readDiskUses(run: Run, paths: string[]): Promise<HostDiskUses> {
  const r = await run(diskUsageArgv(paths.filter((p) => p.startsWith('/'))), { timeoutMs: 120_000 });
  if (r.code !== 0) throw new DomusError('command_failed', 'Domus could not find out which disks are in use on the host; nothing was changed.', r.stderr.trim() || `exit code ${r.code}`);
  let probe: DiskUsageProbe;
  try {
    probe = parseDiskUsageProbe(r.stdout);
  } catch (err) {
    throw new DomusError('command_failed', 'Domus could not find out which disks are in use on the host; nothing was changed.', String(err));
  }
  const uses = hostDiskUses(probe);
  const missed = [...new Set(uses.uses.filter((u) => u.guest !== null && u.target.startsWith('/') && !(u.target in probe.ids)).map((u) => u.target))];
  if (!missed.length) return uses;
  const again = await run(diskUsageArgv(missed), { timeoutMs: 120_000 });
  if (again.code !== 0) return uses;
  try {
    const ids = parseDiskUsageProbe(again.stdout).ids;
    for (const p of missed) probe.ids[p] = ids[p] ?? null;
  } catch {
    return uses;
  }
  return hostDiskUses(probe);
}

/** The contract's view of one use. */
export const toDiskUser = (u: DiskUse): DiskUser => ({ guest: u.guest, access: u.access, running: u.running, what: u.what });

/** "hd-a (read-write, running)" / "dom0 (mounted at /)". */
export function describeUser(u: Pick<DiskUse, 'guest' | 'access' | 'running' | 'what'>): string {
  if (u.guest === null) return `dom0 (${u.what})`;
  return `${u.guest} (${u.access === 'rw' ? 'read-write' : 'read-only'}, ${u.running ? 'running' : 'stopped'})`;
}

export type ClaimVerdict =
  | { kind: 'refused'; byHost: boolean; overridable: boolean }
  | { kind: 'overridden' }
  | { kind: 'sharedReadOnly' }
  | { kind: 'sharedMixed' };

export interface ClaimFinding {
  target: string;
  access: 'rw' | 'ro';
  verdict: ClaimVerdict;
  others: DiskUse[];
  message: string;
}

export interface ClaimOptions {
  /** The guest the disks are for: its own uses do not count. */
  self: string;
  /** The config being replaced (the editor): its uses do not count even under another name. */
  selfConfig?: string | null;
  /** Start: only running guests (and dom0) count; a stopped guest's config writes nothing. */
  runningOnly?: boolean;
  /** Targets the user confirmed by typing as shared on purpose (cluster filesystem). */
  sharedDisks?: readonly string[];
}

/**
 * What each disk the guest would use meets on the host. Refused: read-write on a disk dom0 holds,
 * or read-write on a disk another guest uses read-write (unless confirmed as shared). Said:
 * read-only shared with read-only, and read-only beside a writer (or a writer beside readers).
 */
export function judgeClaims(host: HostDiskUses, claims: readonly ConfigDisk[], o: ClaimOptions): ClaimFinding[] {
  const out: ClaimFinding[] = [];
  const seen = new Set<string>();
  for (const c of claims) {
    const key = diskKey(host.probe, c.target);
    if (seen.has(`${key}\0${c.access}`)) continue;
    seen.add(`${key}\0${c.access}`);
    const others = host.uses.filter(
      (u) => u.key === key && u.guest !== o.self && !(o.selfConfig && u.configPath === o.selfConfig) && (!o.runningOnly || u.running),
    );
    if (!others.length) continue;
    const host0 = others.filter((u) => u.guest === null);
    const writers = others.filter((u) => u.guest !== null && u.access === 'rw');
    const names = (us: DiskUse[]) => us.map(describeUser).join(', ');
    if (c.access === 'rw' && host0.length) {
      out.push({ target: c.target, access: c.access, verdict: { kind: 'refused', byHost: true, overridable: false }, others: host0,
        message: `${c.target} is in use by ${names(host0)}; a guest writing to it would corrupt dom0's data.` });
    } else if (c.access === 'rw' && writers.length) {
      if (o.sharedDisks?.includes(c.target)) {
        out.push({ target: c.target, access: c.access, verdict: { kind: 'overridden' }, others: writers,
          message: `${c.target} is shared read-write with ${names(writers)} on purpose (confirmed as a cluster filesystem disk).` });
      } else {
        out.push({ target: c.target, access: c.access, verdict: { kind: 'refused', byHost: false, overridable: true }, others: writers,
          message: `${c.target} is in use by ${names(writers)}; two guests writing one disk corrupt it.` });
      }
    } else if (c.access === 'ro' && others.every((u) => u.access === 'ro')) {
      out.push({ target: c.target, access: c.access, verdict: { kind: 'sharedReadOnly' }, others,
        message: `${c.target} is shared read-only with ${names(others)}.` });
    } else {
      out.push({ target: c.target, access: c.access, verdict: { kind: 'sharedMixed' }, others,
        message: c.access === 'ro'
          ? `${c.target} is also in use by ${names(others)}; this guest reads it while that one may write, so it may see inconsistent data.`
          : `${c.target} is also read by ${names(others)}; they may see inconsistent data while this guest writes.` });
    }
  }
  return out;
}

export const refusals = (f: ClaimFinding[]) => f.filter((x) => x.verdict.kind === 'refused');

/**
 * Throws a conflict naming every disk refused (before anything is written); returns the other
 * findings (shared read-only, confirmed shares) for the task log. `config` is the text the guest
 * would run with, or its config file on the host (start: read in the same probe).
 */
export async function refuseDiskConflicts(
  run: Run,
  config: { text: string } | { path: string },
  o: ClaimOptions & { nothingDone: string },
): Promise<ClaimFinding[]> {
  // Text that is not xl.cfg at all is refused by the write that follows, in its own words.
  if ('text' in config && !parses(config.text)) return [];
  const fromText = 'text' in config ? claimsOfText(config.text) : null;
  const host = await readDiskUses(run, fromText?.map((c) => c.target) ?? []);
  let claims = fromText;
  if (!claims) {
    const path = (config as { path: string }).path;
    const own = host.probe.configs.find((c) => c.path === path);
    if (!own) throw new DomusError('not_found', `The config file ${path} is not on the host any more; ${o.nothingDone}`);
    claims = claimsOfText(own.text);
  }
  const findings = judgeClaims(host, claims, o);
  const refused = refusals(findings);
  if (refused.length) {
    const hint = refused.some((r) => r.verdict.kind === 'refused' && r.verdict.overridable)
      ? ' If the disk holds a cluster filesystem made for this, confirm it as shared by typing its path.'
      : '';
    throw new DomusError('conflict', `${refused[0].message} ${o.nothingDone}${hint}`, refused.map(describeRefusal).join('\n'));
  }
  return findings;
}

/** One line per refused disk for the error's detail, in the form the UI reads back. */
function describeRefusal(f: ClaimFinding): string {
  return diskRefusalLine(f.target, f.verdict.kind === 'refused' && f.verdict.overridable, f.others.map(describeUser).join(', '));
}

function parses(text: string): boolean {
  try {
    XlCfg.parse(text);
    return true;
  } catch (err) {
    if (err instanceof XlCfgSyntaxError) return false;
    throw err;
  }
}

function claimsOfText(text: string): ConfigDisk[] {
  let parsed: ReturnType<typeof configDisks>;
  try {
    parsed = configDisks(text);
  } catch (err) {
    throw new DomusError('invalid_input', 'The config is not valid xl.cfg, so Domus cannot tell which disks it uses; nothing was changed.', String(err));
  }
  if (parsed.unreadable.length) {
    const u = parsed.unreadable[0];
    throw new DomusError('invalid_input', `Domus cannot read the disk "${u.spec}" (${u.why}); nothing was changed.`, parsed.unreadable.map((x) => `${x.spec}: ${x.why}`).join('\n'));
  }
  return parsed.disks;
}

/** The lines for the task log: what was shared and on whose confirmation. */
export function taskNotes(findings: ClaimFinding[]): string[] {
  return findings
    .filter((f) => f.verdict.kind === 'overridden' || f.verdict.kind === 'sharedReadOnly' || f.verdict.kind === 'sharedMixed')
    .map((f) => (f.verdict.kind === 'overridden' ? `Override (typed confirmation): ${f.message}` : f.message));
}

/** The other guests (and dom0) using this disk: not the guest itself, not its own config. */
export function otherUsers(host: HostDiskUses, target: string, self: string, selfConfig: string): DiskUse[] {
  const key = diskKey(host.probe, target);
  return host.uses.filter((u) => u.key === key && u.guest !== self && u.configPath !== selfConfig);
}

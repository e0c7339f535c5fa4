// What dom0 itself needs among the host's PCI devices, and the facts that tell it. One fixed
// script (no user input in it) collects everything in one round trip — under the lab's emulation
// every extra command costs a fork of xl or a channel — and prints sections "@@name" that
// parsePciProbe() splits again:
//   lspci       lspci -Dnnmm
//   sysfs       per device: BDF, dom0 driver, boot_vga, the device's sysfs path (its bridges)
//   assignable  xl pci-assignable-list
//   clients     the SSH client address as dom0 sees it ($SSH_CLIENT; under sudo that is cleared,
//               then every established SSH peer, which is the safe side) and its route
//   net         per interface: its device path, bridge members (brif), lower devices (bond/vlan)
//   storage     per mounted block source, swap device or LVM PV: the disks under it (lsblk -s)
//   block       per disk: its device path
//   cmdline     /proc/cmdline (dom0 kernel), and GRUB's lines for the persistence preview
//   guests      per running guest: xl pci-list and the passthrough mode of its config
//   configs     pci= / passthrough= lines of /etc/xen/*.cfg
import { lines, normaliseBdf } from './parse/util';

/** Only the sections cmdline and grub: all pci.persistencePreview needs. */
export const PCI_BOOT_PROBE_SCRIPT = String.raw`echo '@@cmdline'; cat /proc/cmdline
echo '@@grub'; grep -E '^[[:space:]]*GRUB_CMDLINE_(LINUX|LINUX_DEFAULT|XEN|XEN_DEFAULT)=' /etc/default/grub 2>/dev/null
`;

/** The boot sections run alone: grep finding no GRUB line must not be the script's exit status. */
export const PCI_BOOT_ONLY_SCRIPT = `${PCI_BOOT_PROBE_SCRIPT}true\n`;

export const PCI_PROBE_SCRIPT = String.raw`
echo '@@lspci'; lspci -Dnnmm 2>/dev/null
echo '@@sysfs'
for d in /sys/bus/pci/devices/*; do
  [ -e "$d" ] || continue
  drv=$(readlink "$d/driver" 2>/dev/null); vga=$(cat "$d/boot_vga" 2>/dev/null)
  printf '%s\t%s\t%s\t%s\n' "\${d##*/}" "\${drv##*/}" "$vga" "$(readlink -f "$d")"
done
echo '@@assignable'; xl pci-assignable-list 2>/dev/null
echo '@@clients'
c=\${SSH_CLIENT%% *}
if [ -n "$c" ]; then set -- "ssh_client $c"
else set -- $(ss -Htn state established '( sport = :22 )' 2>/dev/null | awk '{a=$4; sub(/:[0-9]+$/,"",a); gsub(/[][]/,"",a); print "ssh_peer_" a}')
fi
for x in "$@"; do
  kind=\${x%% *}; a=\${x#* }; case $kind in ssh_peer_*) a=\${kind#ssh_peer_}; kind=ssh_peer;; esac
  printf '%s\t%s\t%s\n' "$kind" "$a" "$(ip -o route get "$a" 2>/dev/null | head -n1)"
done
echo '@@net'
for i in /sys/class/net/*; do
  printf '%s\t%s\t%s\t%s\n' "\${i##*/}" "$(readlink -f "$i/device" 2>/dev/null)" "$(ls "$i/brif" 2>/dev/null | tr '\n' ' ')" "$(cd "$i" && ls -d lower_* 2>/dev/null | sed 's/^lower_//' | tr '\n' ' ')"
done
echo '@@storage'
{ findmnt -rn -o SOURCE,TARGET 2>/dev/null | awk '$1 ~ "^/dev/" {sub(/\[.*$/,"",$1); print "mount\t" $1 "\t" $2}'
  awk 'NR>1 && $1 ~ "^/dev/" {print "swap\t" $1 "\tswap"}' /proc/swaps 2>/dev/null
  pvs --noheadings -o pv_name 2>/dev/null | awk '{print "pv\t" $1 "\tLVM"}'
} | while IFS='	' read -r kind src what; do
  for disk in $(lsblk -rnso NAME,TYPE "$src" 2>/dev/null | awk '$2=="disk"{print $1}'); do
    printf '%s\t%s\t%s\t%s\n' "$kind" "$src" "$what" "$disk"
  done
done
echo '@@block'
for d in /sys/block/*; do printf '%s\t%s\n' "\${d##*/}" "$(readlink -f "$d/device" 2>/dev/null)"; done
${PCI_BOOT_PROBE_SCRIPT}echo '@@guests'
xl list 2>/dev/null | awk 'NR>2 && $2 != "0" {print $1}' | while read -r g; do
  echo "## $g $(xl list -l "$g" 2>/dev/null | grep -m1 '"passthrough"' | tr -d ' ",' | sed 's/^passthrough://')"
  xl pci-list "$g" 2>/dev/null
done
echo '@@configs'
for f in /etc/xen/*.cfg; do
  [ -f "$f" ] || continue
  awk -v f="$f" '/^[ \t]*(name|passthrough)[ \t]*=/ {print f "\t" $0} /^[ \t]*pci[ \t]*=/ {p=1} p {print f "\t" $0} p && /\]/ {p=0}' "$f"
done
echo '@@end'
`.replace(/\\\$/g, '$');

/**
 * Only for "this computer": the devices of the desktop session Domus is shown on. Every display
 * controller a kernel display driver (DRM) drives, and every keyboard and pointer with the device
 * tree it hangs off (a USB controller's keyboard is on that controller's path):
 *   display  card name, the card's device path
 *   input    name, EV bits (hex), mouse/joystick handlers, the input device's own path
 */
export const DESKTOP_PROBE_SCRIPT = String.raw`echo '@@display'
for c in /sys/class/drm/card*; do
  case \${c##*/} in *-*) continue;; esac
  [ -e "$c/device" ] || continue
  printf '%s\t%s\n' "\${c##*/}" "$(readlink -f "$c/device")"
done
echo '@@input'
for i in /sys/class/input/input*; do
  [ -e "$i" ] || continue
  printf '%s\t%s\t%s\t%s\n' "$(tr '\t\n' '  ' 2>/dev/null < "$i/name")" "$(cat "$i/capabilities/ev" 2>/dev/null)" "$(cd "$i" && ls -d mouse* js* 2>/dev/null | tr '\n' ' ')" "$(readlink -f "$i")"
done
echo '@@end'
`.replace(/\\\$/g, '$');

export interface DesktopProbe {
  displays: { card: string; path: string[] }[];
  /** Keyboards (keys that repeat) and pointers (a mouse or joystick handler); other inputs are left out. */
  inputs: { name: string; kind: 'keyboard' | 'pointer'; path: string[] }[];
}

const EV_KEY = 0x1;
const EV_REP = 0x100000;

export function parseDesktopProbe(text: string): DesktopProbe {
  const out: DesktopProbe = { displays: [], inputs: [] };
  let cur = '';
  for (const line of lines(text)) {
    const m = /^@@(\w+)$/.exec(line);
    if (m) {
      cur = m[1]!;
      continue;
    }
    const f = line.split('\t');
    if (cur === 'display' && f.length >= 2) {
      const path = bdfsInPath(f[1]!);
      if (path.length) out.displays.push({ card: f[0]!, path });
    } else if (cur === 'input' && f.length >= 4) {
      const path = bdfsInPath(f[3]!);
      const ev = /^[0-9a-fA-F]{1,16}$/.test(f[1]!.trim()) ? Number.parseInt(f[1]!.trim().slice(-8), 16) : 0;
      const pointer = /\b(mouse|js)\d+\b/.test(f[2]!);
      const keyboard = (ev & EV_KEY) !== 0 && (ev & EV_REP) !== 0;
      if (path.length && (pointer || keyboard)) out.inputs.push({ name: f[0]!.trim() || 'an input device', kind: pointer ? 'pointer' : 'keyboard', path });
    }
  }
  return out;
}

export interface ProbeSysfs {
  bdf: string;
  driver: string | null;
  bootVga: boolean;
  /** BDFs on the device's sysfs path, outermost bridge first, the device itself last. */
  path: string[];
}

export interface PciProbe {
  sections: Record<string, string[]>;
  sysfs: ProbeSysfs[];
  assignable: string[];
  clients: { kind: 'ssh_client' | 'ssh_peer'; address: string; dev: string | null }[];
  net: { name: string; devicePath: string[]; bridgeMembers: string[]; lower: string[] }[];
  storage: { kind: 'mount' | 'swap' | 'pv'; source: string; what: string; disk: string }[];
  block: { name: string; devicePath: string[] }[];
  cmdline: string;
  grub: string[];
  guests: { name: string; passthrough: string | null; devices: { vdev: string; bdf: string }[] }[];
  configs: { path: string; name: string | null; passthrough: string | null; pciText: string | null }[];
  /** Only on "this computer": the desktop session's display and input devices. */
  desktop?: DesktopProbe;
}

/** Every BDF in a sysfs path ("/sys/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/virtio1"). */
export function bdfsInPath(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (/^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/.test(part)) {
      const b = normaliseBdf(part);
      if (b) out.push(b);
    }
  }
  return out;
}

const unquote = (v: string) => v.trim().replace(/^(["'])(.*)\1$/, '$2');

export function parsePciProbe(text: string): PciProbe {
  const sections: Record<string, string[]> = {};
  let cur: string | null = null;
  for (const line of lines(text)) {
    const m = /^@@(\w+)$/.exec(line);
    if (m) {
      cur = m[1];
      sections[cur] = [];
    } else if (cur) sections[cur].push(line);
  }
  const sec = (n: string) => sections[n] ?? [];
  const words = (s: string | undefined) => (s ?? '').split(/\s+/).filter(Boolean);

  const sysfs: ProbeSysfs[] = [];
  for (const l of sec('sysfs')) {
    const [b, drv, vga, p] = l.split('\t');
    const bdf = normaliseBdf(b ?? '');
    if (bdf) sysfs.push({ bdf, driver: drv || null, bootVga: vga === '1', path: bdfsInPath(p ?? '') });
  }
  const clients: PciProbe['clients'] = [];
  for (const l of sec('clients')) {
    const [kind, address, route] = l.split('\t');
    if ((kind === 'ssh_client' || kind === 'ssh_peer') && address) {
      clients.push({ kind, address, dev: /\bdev (\S+)/.exec(route ?? '')?.[1] ?? null });
    }
  }
  const net = sec('net').map((l) => {
    const [name, p, br, lower] = l.split('\t');
    return { name: name ?? '', devicePath: bdfsInPath(p ?? ''), bridgeMembers: words(br), lower: words(lower) };
  });
  const storage: PciProbe['storage'] = [];
  for (const l of sec('storage')) {
    const [kind, source, what, disk] = l.split('\t');
    if ((kind === 'mount' || kind === 'swap' || kind === 'pv') && source && disk) storage.push({ kind, source, what: what ?? '', disk });
  }
  const block = sec('block').map((l) => {
    const [name, p] = l.split('\t');
    return { name: name ?? '', devicePath: bdfsInPath(p ?? '') };
  });
  const guests: PciProbe['guests'] = [];
  for (const l of sec('guests')) {
    const g = /^## (\S+)\s*(\S*)$/.exec(l);
    if (g) {
      guests.push({ name: g[1], passthrough: g[2] || null, devices: [] });
      continue;
    }
    const d = /^\s*([0-9a-fA-F]{2}\.[0-7])\s+(\S+)/.exec(l);
    const bdf = d ? normaliseBdf(d[2]) : null;
    if (d && bdf && guests.length) guests[guests.length - 1].devices.push({ vdev: d[1].toLowerCase(), bdf });
  }
  const byPath = new Map<string, PciProbe['configs'][number]>();
  for (const l of sec('configs')) {
    const tab = l.indexOf('\t');
    if (tab < 0) continue;
    const path = l.slice(0, tab);
    const body = l.slice(tab + 1).replace(/#.*$/, '');
    const c = byPath.get(path) ?? { path, name: null, passthrough: null, pciText: null };
    const kv = /^\s*(name|passthrough)\s*=\s*(.*?)\s*$/.exec(body);
    if (kv) {
      if (kv[1] === 'name') c.name ??= unquote(kv[2]);
      else c.passthrough = unquote(kv[2]);
    } else c.pciText = (c.pciText ?? '') + body + '\n';
    byPath.set(path, c);
  }
  return {
    sections,
    sysfs,
    assignable: sec('assignable').map((l) => normaliseBdf(l.trim().split(/\s+/)[0] ?? '')).filter((b): b is string => !!b),
    clients,
    net,
    storage,
    block,
    cmdline: sec('cmdline').join(' ').trim(),
    grub: sec('grub'),
    guests,
    configs: [...byPath.values()],
  };
}

/** BDFs listed in a config's pci = [ '0000:00:05.0,permissive=1', ... ]. */
export function bdfsOfPciSetting(text: string | null): string[] {
  if (!text) return [];
  const out: string[] = [];
  const re = /(["'])([^"']*)\1/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const first = m[2].split(',')[0].split('@')[0].trim();
    const bdf = normaliseBdf(/^[0-9a-fA-F]{2}:/.test(first) && first.length <= 7 ? `0000:${first}` : first);
    if (bdf) out.push(bdf);
  }
  return out;
}

export type Dom0NeedKind = 'ssh-nic' | 'storage' | 'console' | 'desktop';

export interface Dom0Need {
  kind: Dom0NeedKind;
  /** What stops working, in facts: the interface and client, the mount points, the console. */
  what: string;
  /** The device the fact is about directly (a bridge on its path inherits the need with via). */
  via?: string;
}

/**
 * The devices dom0 cannot give away without losing something: the NIC carrying Domus's own SSH
 * connection (through bridges, bonds and VLANs to the physical device), every controller under a
 * mounted filesystem, swap or LVM physical volume, and the console's display device. The PCI
 * bridges above such a device are needed too (giving one away takes the device with it).
 */
export function dom0Needs(p: PciProbe): Map<string, Dom0Need[]> {
  const out = new Map<string, Dom0Need[]>();
  const add = (path: string[], need: Omit<Dom0Need, 'via'>) => {
    const dev = path[path.length - 1];
    for (const bdf of path) {
      const list = out.get(bdf) ?? [];
      if (!list.some((n) => n.kind === need.kind && n.what === need.what)) {
        list.push(bdf === dev ? need : { ...need, via: dev });
      }
      out.set(bdf, list);
    }
  };

  const nets = new Map(p.net.map((n) => [n.name, n]));
  // An interface's physical devices: itself, or its bridge members / bond slaves / VLAN parent.
  const physical = (name: string, seen = new Set<string>()): { iface: string; path: string[] }[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    const n = nets.get(name);
    if (!n) return [];
    if (n.devicePath.length) return [{ iface: name, path: n.devicePath }];
    return [...n.bridgeMembers, ...n.lower].flatMap((m) => physical(m, seen));
  };
  for (const c of p.clients) {
    if (!c.dev) continue;
    for (const ph of physical(c.dev)) {
      const through = ph.iface === c.dev ? c.dev : `${c.dev} (${ph.iface})`;
      add(ph.path, { kind: 'ssh-nic', what: `${through}: the SSH connection from ${c.address}` });
    }
  }

  const blocks = new Map(p.block.map((b) => [b.name, b]));
  const byDisk = new Map<string, string[]>();
  for (const s of p.storage) {
    const label = s.kind === 'mount' ? `${s.what} (${s.source})` : s.kind === 'swap' ? `swap (${s.source})` : `LVM physical volume ${s.source}`;
    const l = byDisk.get(s.disk) ?? [];
    if (!l.includes(label)) l.push(label);
    byDisk.set(s.disk, l);
  }
  for (const [disk, labels] of byDisk) {
    const b = blocks.get(disk);
    if (b?.devicePath.length) add(b.devicePath, { kind: 'storage', what: `${disk}: ${labels.join(', ')}` });
  }

  for (const s of p.sysfs) {
    if (s.bootVga) add(s.path.length ? s.path : [s.bdf], { kind: 'console', what: 'the console display (boot VGA)' });
  }
  // Domus on this computer: the desktop it is shown on loses its screen, keyboard or mouse.
  for (const d of p.desktop?.displays ?? []) add(d.path, { kind: 'desktop', what: `display ${d.card}` });
  for (const i of p.desktop?.inputs ?? []) add(i.path, { kind: 'desktop', what: `${i.kind} "${i.name}"` });
  return out;
}

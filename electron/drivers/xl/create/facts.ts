// What the host offers the wizard: guest types (with the reason when one is missing), CPUs and
// free memory from a fresh `xl info`, bridges, LVM volume groups, names already taken.
import type { CreateFacts } from '../../../api/create';
import { CONFIG_DIR } from '../configIndex';
import type { Run } from '../lifecycle';
import { parseIpBridges, parseVgs, parseXlInfo, xlCapabilities, type XlInfo } from '../parse';
import { STORAGE_DIR } from './naming';

export function typeOffers(info: Pick<XlInfo, 'virtCaps' | 'xenCaps'>): CreateFacts['types'] {
  const c = xlCapabilities(info);
  const caps = info.virtCaps.join(' ') || 'nothing';
  const offer = (ok: boolean, reason: string) => ({ available: ok, reason: ok ? null : reason });
  return {
    pv: offer(c.pv, `xl info's virt_caps (${caps}) does not list pv; this Xen was built without PV support`),
    pvh: offer(
      c.pvh,
      c.hvm
        ? `PVH needs a paging mode (hap or shadow) and virt_caps (${caps}) lists neither`
        : `PVH runs in a hardware-virtualised container and virt_caps (${caps}) has no hvm: the CPU lacks VT-x/AMD-V or it is off in the firmware`,
    ),
    hvm: offer(c.hvm, `virt_caps (${caps}) has no hvm: the CPU lacks VT-x/AMD-V or it is off in the firmware`),
  };
}

export async function readInfo(run: Run): Promise<XlInfo> {
  const r = await run(['xl', 'info']);
  if (r.code !== 0) throw new Error(`xl info failed: ${r.stderr.trim()}`);
  return parseXlInfo(r.stdout);
}

export async function readFacts(run: Run, usedNames: string[]): Promise<CreateFacts> {
  const [info, br, vgs] = await Promise.all([
    readInfo(run),
    run(['ip', '-j', 'link', 'show', 'type', 'bridge']),
    // No LVM tools, or no groups: no LVM offer (the command's failure is the answer).
    run(['vgs', '--noheadings', '--units', 'm', '--nosuffix', '--separator', '|', '-o', 'vg_name,vg_free']),
  ]);
  return {
    types: typeOffers(info),
    nrCpus: info.nrCpus,
    totalMemoryMiB: info.totalMemoryMiB,
    freeMemoryMiB: info.freeMemoryMiB,
    usedNames: [...new Set(usedNames)].sort(),
    bridges: br.code === 0 ? parseIpBridges(br.stdout) : [],
    volumeGroups: vgs.code === 0 ? parseVgs(vgs.stdout) : [],
    storageDir: STORAGE_DIR,
    configDir: CONFIG_DIR,
  };
}

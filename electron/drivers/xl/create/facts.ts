// What the host offers the wizard: guest types (with the reason when one is missing), CPUs and
// free memory from a fresh `xl info`, bridges, LVM volume groups, names already taken.
import type { CreateFacts } from '../../../api/create';
import { DomusError } from '../../../api/errors';
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

/**
 * Whether each connection's host has LVM's tools, asked once per connection (a transport): most
 * hosts have none, and asking `vgs` on each wizard step and each create put a "vgs: not found,
 * exit code 127" step into every create task. The probe runs outside any task; a reconnect (a new
 * transport) asks again, as the host may have been changed meanwhile.
 */
export class LvmTools {
  private readonly known = new WeakMap<object, Promise<boolean>>();

  present(connection: object, run: Run): Promise<boolean> {
    let answer = this.known.get(connection);
    if (!answer) {
      answer = probeLvm(run);
      this.known.set(connection, answer);
      // A probe that could not ask (the connection dropped) is not an answer: ask again next time.
      answer.catch(() => this.known.delete(connection));
    }
    return answer;
  }
}

async function probeLvm(run: Run): Promise<boolean> {
  try {
    const r = await run(['vgs', '--version']);
    // 127: the shell found no such command (over SSH); anything else means vgs is there.
    return r.code !== 127;
  } catch (err) {
    // This computer's dom0: spawning a program that is not installed fails with not_found.
    if (err instanceof DomusError && err.code === 'not_found') return false;
    throw err;
  }
}

/** The wizard's facts; `hasLvm` from LvmTools, so a host without LVM is not asked for groups. */
export async function readFacts(run: Run, usedNames: string[], hasLvm: boolean): Promise<CreateFacts> {
  const [info, br, vgs] = await Promise.all([
    readInfo(run),
    run(['ip', '-j', 'link', 'show', 'type', 'bridge']),
    // No volume groups (or vgs failing): no LVM offer (the command's failure is the answer).
    hasLvm ? run(['vgs', '--noheadings', '--units', 'm', '--nosuffix', '--separator', '|', '-o', 'vg_name,vg_free']) : null,
  ]);
  return {
    types: typeOffers(info),
    nrCpus: info.nrCpus,
    totalMemoryMiB: info.totalMemoryMiB,
    freeMemoryMiB: info.freeMemoryMiB,
    usedNames: [...new Set(usedNames)].sort(),
    bridges: br.code === 0 ? parseIpBridges(br.stdout) : [],
    volumeGroups: vgs?.code === 0 ? parseVgs(vgs.stdout) : [],
    storageDir: STORAGE_DIR,
    configDir: CONFIG_DIR,
  };
}

// Joins what xl says about guests into the API's Guest: `xl list` (state, memory, vCPUs),
// `xl list -l` (type, UUID, devices), the config index (stopped guests, config paths) and the
// latest live sample (state, CPU %, memory, counters). Pure functions: the driver owns the I/O.
import { deepEqual } from '../../api/jsonEqual';
import { Guest, LIVE_GUEST_FIELDS, type GuestState, type GuestStats } from '../../api/guests';
import type { ConfigEntry } from './configIndex';
import type { DomainFlags, DomainSample, XlDomainLong, XlListEntry } from './parse';

const DOM0_UUID = '00000000-0000-0000-0000-000000000000';

export function stateFromFlags(f: DomainFlags): GuestState {
  if (f.dying) return 'dying';
  if (f.crashed) return 'crashed';
  if (f.shutdown) return 'shutdown';
  if (f.paused) return 'paused';
  if (f.blocked) return 'blocked';
  // "------" is a runnable domain waiting for a CPU: running, as far as a person is concerned.
  return 'running';
}

/**
 * A guest's identity must survive reboots and stop/start. A config without a uuid= line gets a
 * new random UUID at every `xl create`, so such a guest is known by its config path; otherwise
 * (a config with a UUID, or a domain with no config) by its UUID.
 */
export function guestId(uuid: string | null, config: ConfigEntry | undefined, name: string): string {
  if (config && !config.uuid) return `config:${config.path}`;
  if (uuid) return `uuid:${uuid}`;
  if (config) return `config:${config.path}`;
  // A domain seen in `xl list` before `xl list -l` describes it (it is being created): by name
  // until its UUID is known.
  return `name:${name}`;
}

/** A config without type= (or builder=) makes a PV guest: xl's default on x86. */
const configType = (c: ConfigEntry): Guest['type'] => c.type ?? 'pv';

/**
 * CPU % (100 = one vCPU busy) no higher than the guest's online vCPUs allow. The monitor reads
 * the host's clock a moment after the domains' CPU times, and that moment varies with dom0's
 * load: in the lab a busy one-vCPU dom0 showed 101–103 %. What a vCPU cannot do is sampling noise.
 */
function cappedCpu(percent: number | null, vcpus: number): number | null {
  return percent === null ? null : Math.min(percent, 100 * Math.max(1, vcpus));
}

export interface DomainSnapshot {
  list: XlListEntry[];
  long: XlDomainLong[];
  configs: ConfigEntry[];
}

export function buildGuests(snap: DomainSnapshot, live: Map<string, DomainSample> | null): Guest[] {
  const longByDomid = new Map(snap.long.map((d) => [d.domid, d]));
  const configByName = new Map(snap.configs.map((c) => [c.name, c]));
  const guests: Guest[] = [];
  const runningNames = new Set<string>();

  for (const d of snap.list) {
    runningNames.add(d.name);
    const long = longByDomid.get(d.domid);
    const config = d.domid === 0 ? undefined : configByName.get(d.name);
    const uuid = d.domid === 0 ? DOM0_UUID : (long?.uuid ?? d.uuid ?? null);
    const row = live?.get(d.name);
    guests.push({
      id: guestId(uuid, config, d.name),
      name: d.name,
      state: stateFromFlags(row ? row.flags : d.flags),
      // Right after `xl create`, list -l may not describe the domain yet: its config says the type.
      type: d.domid === 0 ? 'pv' : (long?.type ?? (config ? configType(config) : null)),
      domid: d.domid,
      uuid,
      isControlDomain: d.domid === 0,
      // xl list counts online vCPUs (xentop and libxenstat count every allocated one).
      vcpus: d.vcpus,
      memoryMiB: row ? Math.round(row.memKiB / 1024) : d.memMiB,
      maxMemoryMiB: long?.maxMemKiB ? Math.round(long.maxMemKiB / 1024) : row?.maxMemKiB ? Math.round(row.maxMemKiB / 1024) : null,
      cpuPercent: row ? cappedCpu(row.cpuPercent, d.vcpus) : null,
      cpuSeconds: row ? row.cpuSeconds : d.timeSeconds,
      netTxKiB: row ? row.netTxKiB : null,
      netRxKiB: row ? row.netRxKiB : null,
      diskReads: row ? row.diskReads : null,
      diskWrites: row ? row.diskWrites : null,
      disks: (long?.disks ?? []).map((k) => ({
        target: k.pdevPath ?? '',
        vdev: k.vdev ?? undefined,
        format: k.format ?? undefined,
        readOnly: k.readOnly || undefined,
        cdrom: k.cdrom || undefined,
      })),
      nics: (long?.nics ?? []).map((n) => ({ mac: n.mac ?? undefined, bridge: n.bridge ?? undefined, model: n.model ?? undefined })),
      pci: (long?.pcidevs ?? []).map((p) => p.bdf),
      configPath: config?.path ?? null,
    });
  }

  for (const c of snap.configs) {
    if (runningNames.has(c.name)) continue;
    guests.push({
      id: guestId(c.uuid, c, c.name),
      name: c.name,
      state: 'shut off',
      type: configType(c),
      domid: null,
      uuid: c.uuid,
      isControlDomain: false,
      vcpus: 0,
      memoryMiB: 0,
      maxMemoryMiB: null,
      cpuPercent: null,
      cpuSeconds: null,
      netTxKiB: null,
      netRxKiB: null,
      diskReads: null,
      diskWrites: null,
      disks: [],
      nics: [],
      pci: [],
      configPath: c.path,
    });
  }
  return guests;
}

const LIVE = new Set<string>(LIVE_GUEST_FIELDS);
/** Every other field of the contract's Guest. */
const STRUCTURAL = (Object.keys(Guest.shape) as (keyof Guest)[]).filter((k) => !LIVE.has(k));

/** Equal in everything but the live fields (scalars by value, the device lists by content). */
function sameBesidesLive(a: Guest, b: Guest): boolean {
  for (const k of STRUCTURAL) if (a[k] !== b[k] && !deepEqual(a[k], b[k])) return false;
  return true;
}

function emptyStats(): GuestStats {
  return { ids: [], state: [], cpuPercent: [], cpuSeconds: [], memoryMiB: [], netTxKiB: [], netRxKiB: [], diskReads: [], diskWrites: [] };
}

/**
 * What changed between two inventories, by guest id and field values: guests that are new or
 * changed in more than their live fields (upserted, whole), ids that are gone, and the live
 * fields of guests that changed in nothing else (stats, null when none did) — what a monitor
 * sample changes every second, sent as columns rather than whole guests.
 */
export function diffGuests(
  before: ReadonlyMap<string, Guest>,
  after: readonly Guest[],
): { upserted: Guest[]; removed: string[]; stats: GuestStats | null } {
  const upserted: Guest[] = [];
  const stats = emptyStats();
  const seen = new Set<string>();
  for (const g of after) {
    seen.add(g.id);
    const old = before.get(g.id);
    if (!old || !sameBesidesLive(old, g)) {
      upserted.push(g);
      continue;
    }
    if (LIVE_GUEST_FIELDS.every((f) => old[f] === g[f])) continue;
    stats.ids.push(g.id);
    for (const f of LIVE_GUEST_FIELDS) (stats[f] as unknown[]).push(g[f]);
  }
  const removed = [...before.keys()].filter((id) => !seen.has(id));
  return { upserted, removed, stats: stats.ids.length ? stats : null };
}

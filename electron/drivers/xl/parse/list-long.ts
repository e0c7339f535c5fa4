// `xl list -l`: a JSON array of { domid, config } where config is libxl_domain_config as JSON.
// libxl omits fields that hold their default (dom0 has no uuid, a BDF part 0 is left out),
// prints booleans as "True"/"False", and xl may print warnings before the JSON.
import { z } from 'zod';
import { XlParseError, bdfFromParts } from './util';

export const XlDisk = z.object({
  pdevPath: z.string().nullable(),
  vdev: z.string().nullable(),
  format: z.string().nullable(),
  backend: z.string().nullable(),
  readOnly: z.boolean(),
  cdrom: z.boolean(),
});
export const XlNic = z.object({
  devid: z.number().nullable(),
  mac: z.string().nullable(),
  bridge: z.string().nullable(),
  model: z.string().nullable(),
  nictype: z.string().nullable(),
  ip: z.string().nullable(),
  ifname: z.string().nullable(),
  script: z.string().nullable(),
});
export const XlPciDev = z.object({
  /** "0000:00:05.0" */
  bdf: z.string(),
  vdevfn: z.number().nullable(),
  permissive: z.boolean(),
  seize: z.boolean(),
});
export const XlVnc = z.object({
  enable: z.boolean(),
  listen: z.string().nullable(),
  display: z.number().nullable(),
  findUnused: z.boolean(),
});
export const XlSchedParams = z.object({
  sched: z.string().nullable(),
  weight: z.number().nullable(),
  cap: z.number().nullable(),
});
export const XlDomainLong = z.object({
  domid: z.number().nullable(),
  name: z.string(),
  type: z.enum(['pv', 'pvh', 'hvm']).nullable(),
  uuid: z.string().nullable(),
  maxVcpus: z.number().nullable(),
  /** Number of vCPUs online at start (avail_vcpus). */
  availVcpus: z.number().nullable(),
  maxMemKiB: z.number().nullable(),
  targetMemKiB: z.number().nullable(),
  sched: XlSchedParams.nullable(),
  kernel: z.string().nullable(),
  ramdisk: z.string().nullable(),
  cmdline: z.string().nullable(),
  bootloader: z.string().nullable(),
  disks: z.array(XlDisk),
  nics: z.array(XlNic),
  pcidevs: z.array(XlPciDev),
  vnc: XlVnc.nullable(),
  serial: z.string().nullable(),
  onPoweroff: z.string().nullable(),
  onReboot: z.string().nullable(),
  onCrash: z.string().nullable(),
  /** The config object as xl printed it, for anything not normalised above. */
  config: z.record(z.string(), z.unknown()),
});
export type XlDomainLong = z.infer<typeof XlDomainLong>;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** A count or identifier: a whole number from 0 to 2^53 (JSON may hold 1e400, i.e. Infinity, or -1). */
const int = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : null;
  return n !== null && Number.isSafeInteger(n) && n >= 0 ? n : null;
};
/** libxl_defbool / bool: "True"/"False" strings, or 0/1 numbers for int flags. */
const bool = (v: unknown, dflt = false): boolean =>
  v === 'True' || v === true || v === 1 ? true : v === 'False' || v === false || v === 0 ? false : dflt;

function vncOf(v: unknown): z.infer<typeof XlVnc> | null {
  if (!v || typeof v !== 'object') return null;
  const o = obj(v);
  return {
    enable: bool(o.enable),
    listen: str(o.listen),
    display: int(o.display),
    findUnused: bool(o.findunused),
  };
}

/** A part of a PCI address within its field's width (domain 16 bits, bus 8, device 5, function 3). */
function bdfPart(v: unknown, max: number, what: string, text: string): number {
  const n = int(v) ?? 0;
  if (n > max) throw new XlParseError(`xl list -l gives a PCI device a ${what} of ${n}, beyond ${max}`, text);
  return n;
}

function pciOf(v: unknown, text: string): z.infer<typeof XlPciDev> {
  const o = obj(v);
  // Xen >= 4.16 nests the address in "bdf"; older versions put the parts at the top level.
  const a = o.bdf && typeof o.bdf === 'object' ? obj(o.bdf) : o;
  return {
    bdf: bdfFromParts(bdfPart(a.domain, 0xffff, 'domain', text), bdfPart(a.bus, 0xff, 'bus', text), bdfPart(a.dev, 0x1f, 'device', text), bdfPart(a.func, 7, 'function', text)),
    vdevfn: int(o.vdevfn),
    permissive: bool(o.permissive),
    seize: bool(o.seize),
  };
}

function domainOf(entry: unknown, text: string): XlDomainLong {
  const e = obj(entry);
  const config = obj(e.config);
  const c = obj(config.c_info);
  const b = obj(config.b_info);
  const hvm = obj(b['type.hvm']);
  const pv = obj(b['type.pv']);
  const type = c.type === 'pv' || c.type === 'pvh' || c.type === 'hvm' ? c.type : null;
  const sp = b.sched_params && typeof b.sched_params === 'object' ? obj(b.sched_params) : null;
  const vfbVnc = arr(config.vfbs).map((f) => vncOf(obj(f).vnc)).find((v) => v !== null) ?? null;
  const availVcpus = Array.isArray(b.avail_vcpus) ? b.avail_vcpus.length : null;
  return {
    domid: int(e.domid),
    name: str(c.name) ?? '',
    type,
    uuid: str(c.uuid),
    maxVcpus: int(b.max_vcpus),
    availVcpus,
    maxMemKiB: int(b.max_memkb),
    targetMemKiB: int(b.target_memkb),
    sched: sp ? { sched: str(sp.sched), weight: int(sp.weight), cap: int(sp.cap) } : null,
    kernel: str(b.kernel) ?? str(pv.kernel),
    ramdisk: str(b.ramdisk) ?? str(pv.ramdisk),
    cmdline: str(b.cmdline) ?? str(pv.cmdline),
    bootloader: str(b.bootloader) ?? str(pv.bootloader),
    disks: arr(config.disks).map((d) => {
      const o = obj(d);
      return {
        pdevPath: str(o.pdev_path),
        vdev: str(o.vdev),
        format: str(o.format),
        backend: str(o.backend),
        // readwrite is omitted when 0 (the default), i.e. a read-only disk has no readwrite key.
        readOnly: !bool(o.readwrite),
        cdrom: bool(o.is_cdrom),
      };
    }),
    nics: arr(config.nics).map((n) => {
      const o = obj(n);
      return {
        devid: int(o.devid),
        mac: str(o.mac),
        bridge: str(o.bridge),
        model: str(o.model),
        nictype: str(o.nictype),
        ip: str(o.ip),
        ifname: str(o.ifname),
        script: str(o.script),
      };
    }),
    pcidevs: arr(config.pcidevs).map((d) => pciOf(d, text)),
    vnc: vfbVnc ?? vncOf(hvm.vnc),
    serial: str(hvm.serial),
    onPoweroff: str(config.on_poweroff),
    onReboot: str(config.on_reboot),
    onCrash: str(config.on_crash),
    config,
  };
}

/** Finds the JSON in the output (skipping any warning lines xl printed first) and normalises it. */
export function parseXlListLong(text: string): XlDomainLong[] {
  const start = text.search(/^[[{]/m);
  if (start < 0) {
    if (text.trim() === '') return [];
    throw new XlParseError('no JSON in xl list -l output', text);
  }
  const body = text.slice(start);
  const close = body[0] === '[' ? body.lastIndexOf(']') : body.lastIndexOf('}');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.slice(0, close + 1));
  } catch (err) {
    throw new XlParseError(`xl list -l printed invalid JSON: ${(err as Error).message}`, text);
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).map((d) => domainOf(d, text));
}

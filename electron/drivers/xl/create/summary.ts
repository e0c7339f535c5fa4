// What a config text says, for the review's summary once the user has edited the config by hand:
// the summary then follows the text that will be written, not the wizard's answers.
import type { ConfigSummary, DescribedConfig } from '../../../api/create';
import { XlCfg, XlCfgSyntaxError, parseDiskSpec, parseVifSpec } from '../xlcfg';

const strings = (cfg: XlCfg, key: string) => cfg.getList(key).filter((v): v is string => typeof v === 'string');

function guestType(cfg: XlCfg): ConfigSummary['type'] {
  const t = cfg.getString('type');
  if (t === 'pv' || t === 'pvh' || t === 'hvm') return t;
  return cfg.getString('builder') === 'hvm' ? 'hvm' : 'pv';
}

/** The command line xl hands the kernel: cmdline=, or else root= and extra= joined (xl_parse.c). */
function kernelCmdline(cfg: XlCfg): string | null {
  const cmdline = cfg.getString('cmdline');
  if (cmdline !== undefined) return cmdline;
  const root = cfg.getString('root');
  const extra = cfg.getString('extra');
  const joined = [root !== undefined ? `root=${root}` : null, extra ?? null].filter((x) => x !== null).join(' ');
  return joined || null;
}

function cdromTarget(cfg: XlCfg): string | null {
  for (const spec of strings(cfg, 'disk')) {
    try {
      const d = parseDiskSpec(spec);
      if (d.devtype === 'cdrom') return d.target;
    } catch {
      // A disk xl cannot read is xl create -n's to report.
    }
  }
  return null;
}

function boot(cfg: XlCfg, type: ConfigSummary['type']): ConfigSummary['boot'] {
  const kernel = cfg.getString('kernel');
  if (kernel) return { kind: 'kernel', kernel, ramdisk: cfg.getString('ramdisk') ?? null, cmdline: kernelCmdline(cfg) };
  const bootloader = cfg.getString('bootloader');
  if (type !== 'hvm') return bootloader ? { kind: 'bootloader', bootloader } : { kind: 'none' };
  // xl.cfg.5: boot= is a list of devices tried in turn, "cd" when not given.
  const first = (cfg.getString('boot') ?? 'cd')[0];
  if (first === 'd') return { kind: 'iso', iso: cdromTarget(cfg) };
  if (first === 'n') return { kind: 'network' };
  return { kind: 'disk' };
}

function nics(cfg: XlCfg): ConfigSummary['nics'] {
  return strings(cfg, 'vif').map((spec) => {
    try {
      const v = parseVifSpec(spec);
      return { bridge: v.bridge, mac: v.mac, model: v.model };
    } catch {
      return { bridge: null, mac: null, model: null };
    }
  });
}

export function describeConfig(text: string): DescribedConfig {
  let cfg: XlCfg;
  try {
    cfg = XlCfg.parse(text);
  } catch (err) {
    if (err instanceof XlCfgSyntaxError) return { summary: null, problem: err.message };
    throw err;
  }
  const type = guestType(cfg);
  const num = (key: string) => cfg.getNumber(key) ?? null;
  return {
    summary: {
      name: cfg.getString('name') ?? null,
      type,
      boot: boot(cfg, type),
      vcpus: num('vcpus'),
      // xl: without maxvcpus / maxmem the guest's maximum is what it starts with.
      maxVcpus: num('maxvcpus') ?? num('vcpus'),
      memoryMiB: num('memory'),
      maxMemoryMiB: num('maxmem') ?? num('memory'),
      nics: nics(cfg),
    },
    problem: null,
  };
}

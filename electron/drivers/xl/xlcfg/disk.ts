// xl disk specs (xl-disk-configuration.5): "format=raw, vdev=xvda, access=rw, target=/path" or the
// positional form "/path,raw,xvda,rw". target= must come last: everything after it is the path.
export interface DiskSpec {
  target: string | null;
  format: string | null;
  vdev: string | null;
  access: string | null;
  devtype: string | null;
  backendtype: string | null;
  script: string | null;
}

const FORMATS = new Set(['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty']);
const ACCESS = new Set(['r', 'ro', 'w', 'rw']);

export function parseDiskSpec(spec: string): DiskSpec {
  const d: DiskSpec = { target: null, format: null, vdev: null, access: null, devtype: null, backendtype: null, script: null };
  const t = spec.indexOf('target=');
  const head = t >= 0 ? spec.slice(0, t) : spec;
  if (t >= 0) d.target = spec.slice(t + 'target='.length).trim();
  let pos = 0;
  for (const raw of head.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq > 0) {
      const k = part.slice(0, eq).trim();
      const v = part.slice(eq + 1).trim();
      if (k === 'format' || k === 'vdev' || k === 'access' || k === 'devtype' || k === 'backendtype' || k === 'script') d[k] = v;
      continue;
    }
    if (part === 'cdrom' || part === 'devtype=cdrom') {
      d.devtype = 'cdrom';
      continue;
    }
    // Positional: target, format, vdev, access — where format and access may be left out, as in
    // the old "phy:/dev/vg/x,xvdb,w"; libxlu tells them apart by their words.
    if (d.target === null && pos === 0) d.target = part;
    else if (FORMATS.has(part) && d.format === null) d.format = part;
    else if (ACCESS.has(part) && d.access === null) d.access = part;
    else if (d.vdev === null) d.vdev = part;
    pos++;
  }
  // "phy:/dev/vg/x" and "file:/path" prefixes are old ways of naming the backend.
  if (d.target) {
    const m = /^(phy|file|tap|tap2|aio|qcow|qcow2|vhd|raw):(.*)$/.exec(d.target);
    if (m) {
      d.target = m[2];
      if (m[1] === 'phy') d.backendtype ??= 'phy';
      else if (m[1] !== 'file' && m[1] !== 'aio' && m[1] !== 'tap' && m[1] !== 'tap2') d.format ??= m[1];
    }
  }
  return d;
}

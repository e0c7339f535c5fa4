// xl disk specs (xl-disk-configuration(5)), read the way libxlutil's disk lexer reads them: a
// flex scanner that at each point takes the longest of its patterns (the first one on a tie),
// so the old forms xl still accepts mean what they mean to xl: positional "target,format,vdev,
// access" fields (any may be empty), "vdev:cdrom", deprecated prefixes ("phy:", "tap:aio:",
// "qcow2:", "iscsi:" → script block-iscsi ...), and target= eating the rest of the spec.
// A spec xl refuses throws XlDiskSpecError with xl's own complaint.

export interface DiskSpec {
  /** The image, device or script argument (pdev_path); "" for an empty CD-ROM drive. */
  target: string | null;
  /** The format xl uses: what was written, else raw; "empty" for a CD-ROM drive with no medium. */
  format: string | null;
  vdev: string | null;
  /** The access as written (r, ro, w, rw, or "" which means rw); null when not given. */
  access: string | null;
  /** "cdrom" when xl makes it a CD-ROM drive, "disk" when written so, else null. */
  devtype: string | null;
  backendtype: string | null;
  script: string | null;
  /** Read-only to the guest (access r/ro, and every CD-ROM). */
  readOnly: boolean;
  /** The backend domain (backend=), null for dom0. */
  backend: string | null;
  specification: string | null;
  discard: boolean | null;
  directIoSafe: boolean;
  /** The COLO parameters and any other flags Domus does not model, as written ("colo-port=9000"). */
  other: string[];
}

export class XlDiskSpecError extends Error {
  constructor(
    message: string,
    readonly spec: string,
    /** xl's own words for the problem. */
    readonly detail: string,
  ) {
    super(message);
    this.name = 'XlDiskSpecError';
  }
}

const FORMATS: Record<string, string> = { '': 'raw', raw: 'raw', qcow: 'qcow', qcow2: 'qcow2', vhd: 'vhd', empty: 'empty', qed: 'qed' };
const BACKENDTYPES = new Set(['phy', 'tap', 'qdisk', 'standalone']);
const SPECIFICATIONS = new Set(['xen', 'virtio']);

interface State {
  d: DiskSpec;
  formatSet: boolean;
  hadPrefix: boolean;
  accessSet: boolean;
  cdrom: boolean;
}

type Action = (st: State, text: string, fail: (near: string, what: string) => never) => void;

interface Rule {
  /** Sticky pattern; group 1 (when present) is the text the action sees, the rest is lookahead. */
  re: RegExp;
  act: Action;
}

const stripComma = (t: string) => (t.endsWith(',') ? t.slice(0, -1) : t);
const afterEquals = (t: string) => stripComma(t).slice(t.indexOf('=') + 1);

function setFormat(st: State, v: string, fail: (near: string, what: string) => never): void {
  const f = FORMATS[v];
  if (f === undefined) fail(v, 'unknown value for format');
  if (st.formatSet && st.d.format !== f) fail(v, 'format respecified');
  st.d.format = f;
  st.formatSet = true;
}

function saveString(st: State, key: 'target' | 'vdev' | 'script' | 'backend', v: string, fail: (near: string, what: string) => never): void {
  // libxlu lets an empty string be overwritten, nothing else.
  if (st.d[key]) fail(v, `${key === 'target' ? 'target' : key} respecified`);
  st.d[key] = v;
}

function setAccess(st: State, v: string, fail: (near: string, what: string) => never): void {
  if (v === 'r' || v === 'ro') st.d.readOnly = true;
  else if (v === 'rw' || v === 'w' || v === '') st.d.readOnly = false;
  else fail(v, 'unknown value for access');
  st.d.access = v;
}

function vdevAndDevtype(st: State, text: string, fail: (near: string, what: string) => never): boolean {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return false;
  saveString(st, 'vdev', text.slice(0, colon), fail);
  const type = text.slice(colon + 1);
  if (type === 'cdrom') st.cdrom = true;
  else if (type === 'disk') st.cdrom = false;
  else fail(type, 'unknown deprecated type');
  st.d.devtype = type;
  return true;
}

const flag = (re: string, act: (st: State) => void): Rule => ({ re: new RegExp(`(${re},?)`, 'y'), act: (st) => act(st) });
const keyword = (key: string, act: (st: State, v: string, fail: (near: string, what: string) => never) => void): Rule => ({
  re: new RegExp(`(${key}=[^,]*,?)`, 'y'),
  act: (st, text, fail) => act(st, afterEquals(text), fail),
});
const other = (st: State, text: string) => st.d.other.push(stripComma(text));

// The rules of libxlu_disk_l.l, in its order (the order breaks ties of equal length).
const RULES: Rule[] = [
  { re: /([ \t\n]+)(?:[^ \t\n][^\n]*)?/y, act: () => {} },
  keyword('format', setFormat),
  flag('cdrom', (st) => ((st.cdrom = true), (st.d.devtype = 'cdrom'))),
  flag('devtype=cdrom', (st) => ((st.cdrom = true), (st.d.devtype = 'cdrom'))),
  flag('devtype=disk', (st) => ((st.cdrom = false), (st.d.devtype = 'disk'))),
  { re: /(devtype=[^,]*,?)/y, act: (_st, t, fail) => fail(t, 'unknown value for type') },
  keyword('access', setAccess),
  keyword('backend', (st, v, fail) => saveString(st, 'backend', v, fail)),
  keyword('backendtype', (st, v, fail) => {
    if (!BACKENDTYPES.has(v)) fail(v, 'unknown value for backendtype');
    if (st.d.backendtype && st.d.backendtype !== v) fail(v, 'backend respecified');
    st.d.backendtype = v;
  }),
  keyword('specification', (st, v, fail) => {
    if (!SPECIFICATIONS.has(v)) fail(v, 'unknown value for specification');
    if (st.d.specification && st.d.specification !== v) fail(v, 'specification respecified');
    st.d.specification = v;
  }),
  keyword('vdev', (st, v, fail) => saveString(st, 'vdev', v, fail)),
  keyword('script', (st, v, fail) => saveString(st, 'script', v, fail)),
  flag('direct-io-safe', (st) => (st.d.directIoSafe = true)),
  flag('discard', (st) => (st.d.discard = true)),
  flag('no-discard', (st) => (st.d.discard = false)),
  { re: /(colo,?)/y, act: other },
  { re: /(no-colo,?)/y, act: other },
  { re: /(colo-host=[^,]*,?)/y, act: other },
  {
    re: /(colo-port=[^,]*,?)/y,
    act: (st, t, fail) => {
      // atoi(): leading blanks, a sign, digits; 0 is refused.
      const n = parseInt(afterEquals(t).replace(/^[ \t\n\v\f\r]+/, ''), 10);
      if (!n) fail(afterEquals(t), 'unknown value for colo_port');
      other(st, t);
    },
  },
  { re: /(colo-export=[^,]*,?)/y, act: other },
  { re: /(active-disk=[^,]*,?)/y, act: other },
  { re: /(hidden-disk=[^,]*,?)/y, act: other },
  {
    re: /(target=[^\n]*)/y,
    act: (st, t, fail) => saveString(st, 'target', stripComma(t).slice('target='.length), fail),
  },
  { re: /([a-z][-a-z0-9]*=[^,],?)/y, act: (_st, t, fail) => fail(t, 'unknown parameter') },
  {
    re: /((?:raw|qcow2?|vhd):)[^\n]*/y,
    act: (st, t, fail) => {
      st.hadPrefix = true;
      setFormat(st, t.slice(0, -1), fail);
    },
  },
  {
    re: /((?:iscsi|e?nbd|drbd):)[^\n]*/y,
    act: (st, t, fail) => {
      st.hadPrefix = true;
      saveString(st, 'script', `block-${t.slice(0, -1)}`, fail);
    },
  },
  { re: /(tapdisk:)[^\n]*/y, act: (st) => (st.hadPrefix = true) },
  { re: /(tap2?:)[^\n]*/y, act: (st) => (st.hadPrefix = true) },
  { re: /(aio:)[^\n]*/y, act: (st) => (st.hadPrefix = true) },
  { re: /(ioemu:)[^\n]*/y, act: (st) => (st.hadPrefix = true) },
  { re: /(file:)[^\n]*/y, act: (st) => (st.hadPrefix = true) },
  { re: /(phy:)[^\n]*/y, act: (st) => (st.hadPrefix = true) },
  { re: /([a-z][a-z0-9]*:)(?:[^a-z0-9\n][^\n]*)?/y, act: (_st, t, fail) => fail(t, 'unknown deprecated disk prefix') },
  {
    re: /([^=,]*,|[^=,]+,?)/y,
    act: (st, t, fail) => {
      const v = stripComma(t);
      const d = st.d;
      if (d.target === null) saveString(st, 'target', v, fail);
      else if (!st.hadPrefix && !st.formatSet) {
        if (d.target === '' && vdevAndDevtype(st, v, fail)) {
          d.format = 'empty';
          st.formatSet = true;
        } else setFormat(st, v, fail);
      } else if (d.vdev === null) {
        if (!vdevAndDevtype(st, v, fail)) saveString(st, 'vdev', v, fail);
      } else if (!st.accessSet) {
        st.accessSet = true;
        setAccess(st, v, fail);
      } else fail(v, 'too many positional parameters');
    },
  },
];

export function parseDiskSpec(spec: string): DiskSpec {
  const d: DiskSpec = {
    target: null,
    format: null,
    vdev: null,
    access: null,
    devtype: null,
    backendtype: null,
    script: null,
    readOnly: false,
    backend: null,
    specification: null,
    discard: null,
    directIoSafe: false,
    other: [],
  };
  const st: State = { d, formatSet: false, hadPrefix: false, accessSet: false, cdrom: false };
  const fail = (near: string | null, what: string): never => {
    const detail = `config parsing error in disk specification: ${what}${near !== null ? `: near \`${near}'` : ''} in \`${spec}'`;
    throw new XlDiskSpecError(`xl cannot read the disk "${spec}": ${what}${near !== null ? ` (near "${near}")` : ''}.`, spec, detail);
  };
  let pos = 0;
  while (pos < spec.length) {
    let best: { rule: Rule; len: number; text: string } | null = null;
    for (const rule of RULES) {
      rule.re.lastIndex = pos;
      const m = rule.re.exec(spec);
      if (m && m[0].length > (best?.len ?? 0)) best = { rule, len: m[0].length, text: m[1] ?? m[0] };
    }
    if (!best) return fail(spec.slice(pos).split('\n')[0], 'bad disk syntax');
    best.rule.act(st, best.text, fail);
    pos += best.text.length;
  }
  if (!st.formatSet) d.format = 'raw';
  if (st.cdrom) {
    d.readOnly = true;
    d.devtype = 'cdrom';
    if (!d.target) d.format = 'empty';
  } else if (d.devtype === 'cdrom') d.devtype = 'disk';
  if (d.vdev === null) fail(null, 'no vdev specified');
  if (d.target === null && !st.cdrom) fail(null, 'no target specified (and device not removable)');
  return d;
}

/** Whether xl would accept the spec. */
export function isValidDiskSpec(spec: string): boolean {
  try {
    parseDiskSpec(spec);
    return true;
  } catch (err) {
    if (err instanceof XlDiskSpecError) return false;
    throw err;
  }
}

/**
 * The spec in xl's keyword form, meaning to xl exactly what d means: every parameter Domus does
 * not model is kept, a CD-ROM stays a CD-ROM, target= comes last (it takes the rest).
 */
export function formatDiskSpec(d: DiskSpec): string {
  const parts = [
    `format=${d.format ?? 'raw'}`,
    d.vdev !== null ? `vdev=${d.vdev}` : null,
    d.access !== null ? `access=${d.access}` : d.readOnly && d.devtype !== 'cdrom' ? 'access=ro' : null,
    d.devtype === 'cdrom' ? 'devtype=cdrom' : null,
    d.backendtype ? `backendtype=${d.backendtype}` : null,
    d.backend ? `backend=${d.backend}` : null,
    d.script ? `script=${d.script}` : null,
    d.specification ? `specification=${d.specification}` : null,
    d.discard === null ? null : d.discard ? 'discard' : 'no-discard',
    d.directIoSafe ? 'direct-io-safe' : null,
    ...d.other,
    // target= drops one trailing comma, so a target that ends in one gets another.
    d.target !== null ? `target=${d.target}${d.target.endsWith(',') ? ',' : ''}` : null,
  ];
  return parts.filter((p): p is string => p !== null).join(', ');
}

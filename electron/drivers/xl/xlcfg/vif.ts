// xl vif specs (xl-network-configuration(5)) read as xl 4.17 reads them (xl_parse.c): the spec is
// cut at every "," (empty pieces dropped, leading spaces skipped), each piece is "key=value" and
// the last value of a key wins. xl refuses the config only for a bad rate= or devid=; any other
// problem (an unknown key, a bad mac= or type=) it prints and goes on, so those are warnings here.

export interface VifRate {
  bytesPerInterval: number;
  intervalUsecs: number;
}

export interface VifSpec {
  mac: string | null;
  bridge: string | null;
  ip: string | null;
  /** rate= as written, and what libxl makes of it. */
  rate: string | null;
  rateParsed: VifRate | null;
  model: string | null;
  /** "vif" or "ioemu" (type=), null when not given. */
  type: string | null;
  script: string | null;
  vifname: string | null;
  backend: string | null;
  gatewaydev: string | null;
  devid: number | null;
  /** Parameters Domus does not model (COLO, forwarddev, accel), as written. */
  other: string[];
  /** What xl would print about the spec while still using it. */
  warnings: string[];
}

export class XlVifSpecError extends Error {
  constructor(
    message: string,
    readonly spec: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'XlVifSpecError';
  }
}

const STRING_KEYS = { bridge: 'bridge', gatewaydev: 'gatewaydev', ip: 'ip', script: 'script', backend: 'backend', vifname: 'vifname', model: 'model' } as const;

/** C's strtoul prefix (base 16 or 10): blanks, a sign, digits; the value and where it stopped. */
function strtoul(s: string, at: number, base: 10 | 16): { value: number; end: number } | null {
  let i = at;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) i += 2;
  const digits = base === 16 ? /[0-9a-fA-F]/ : /[0-9]/;
  const start = i;
  while (i < s.length && digits.test(s[i])) i++;
  if (i === start) return null;
  const v = parseInt(s.slice(start, i), base);
  return { value: neg && v !== 0 ? Number.MAX_SAFE_INTEGER : v, end: i };
}

/**
 * xl's mac= reading: six hex numbers ≤ 255, each followed by any one separator. On a bad byte xl
 * complains and keeps the bytes read so far (the rest zero); all zero means none (libxl picks one).
 */
export function parseVifMac(text: string): { mac: string | null; ok: boolean } {
  const bytes = [0, 0, 0, 0, 0, 0];
  let at = 0;
  let ok = true;
  for (let i = 0; i < 6; i++) {
    const r = at > text.length ? null : strtoul(text, at, 16);
    if (!r || r.value > 255) {
      ok = false;
      break;
    }
    bytes[i] = r.value;
    at = r.end + 1;
  }
  const mac = bytes.every((b) => b === 0) ? null : bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
  return { mac, ok };
}

const UINT32_MAX = 0xffffffff;

/** libxlutil's xlu_vif_parse_rate: "10Mb/s", "1GB/s@20ms"; throws with xl's words. */
export function parseVifRate(rate: string): VifRate {
  const fail = (what: string, near: string): never => {
    throw new XlVifSpecError(`xl cannot use the rate "${rate}": ${what}.`, rate, `config parsing error in vif: ${what} in \`${near}'`);
  };
  const at = rate.indexOf('@');
  const bytes = at < 0 ? rate : rate.slice(0, at);
  const interval = at < 0 ? null : rate.slice(at + 1);
  if (bytes === '') fail('no rate specified', rate);
  if (!/^[0-9]+[GMK]?[Bb]\/s$/.test(bytes)) fail('invalid rate', bytes);
  // strtoull with base 0: a leading 0 makes the digits octal (and stops at an 8 or 9).
  const num = (digits: string) => (digits.length > 1 && digits[0] === '0' ? parseInt(/^0[0-7]*/.exec(digits)![0], 8) : Number(digits));
  const bm = /^([0-9]+)(.*)$/.exec(bytes)!;
  let perSec = num(bm[1]);
  // The rest must start right after the digits; an octal number cut short leaves a digit there.
  const restAfter = (digits: string, rest: string) => (digits.length > 1 && digits[0] === '0' ? digits.slice(/^0[0-7]*/.exec(digits)![0].length) + rest : rest);
  const bRest = restAfter(bm[1], bm[2]);
  if (perSec === 0 || perSec > UINT32_MAX) fail('rate overflow', bytes);
  const unit = bRest[0];
  perSec *= unit === 'G' ? 1e9 : unit === 'M' ? 1e6 : unit === 'K' ? 1e3 : 1;
  if (unit === 'b' || bRest[1] === 'b') perSec = Math.floor(perSec / 8);
  let usecs = 50000;
  if (interval !== null) {
    if (!/^[0-9]+[mu]?s?$/.test(interval)) fail('invalid replenishment interval', interval);
    const im = /^([0-9]+)(.*)$/.exec(interval)!;
    let v = num(im[1]);
    const iRest = restAfter(im[1], im[2]);
    if (v === 0 || v > UINT32_MAX) fail('replenishment interval overflow', interval);
    if (iRest[0] === 's' || iRest === '') v *= 1e6;
    else if (iRest[0] === 'm') v *= 1e3;
    if (v > UINT32_MAX) fail('replenishment interval overflow', interval);
    usecs = v;
  }
  return { bytesPerInterval: Number((BigInt(perSec) * BigInt(usecs)) / 1000000n), intervalUsecs: usecs };
}

/** The pieces of a vif spec as xl cuts them: at ",", empty ones dropped, leading spaces skipped. */
export function vifTokens(spec: string): string[] {
  return spec
    .split(',')
    .filter((t) => t !== '')
    .map((t) => t.replace(/^ +/, ''));
}

export function parseVifSpec(spec: string): VifSpec {
  const v: VifSpec = { mac: null, bridge: null, ip: null, rate: null, rateParsed: null, model: null, type: null, script: null, vifname: null, backend: null, gatewaydev: null, devid: null, other: [], warnings: [] };
  for (const token of vifTokens(spec)) {
    const eq = token.indexOf('=');
    const key = eq < 0 ? null : token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (key === 'type') {
      if (value === 'vif' || value === 'ioemu') v.type = value;
      else v.warnings.push("Invalid parameter `type'.");
    } else if (key === 'mac') {
      const { mac, ok } = parseVifMac(value);
      if (!ok) v.warnings.push("Invalid parameter `mac'.");
      v.mac = mac;
    } else if (key === 'netdev') {
      v.warnings.push('the netdev parameter is deprecated, please use gatewaydev instead');
      v.gatewaydev = value;
    } else if (key !== null && key in STRING_KEYS) {
      v[STRING_KEYS[key as keyof typeof STRING_KEYS]] = value;
    } else if (key === 'rate') {
      try {
        v.rateParsed = parseVifRate(value);
      } catch (err) {
        if (err instanceof XlVifSpecError) throw new XlVifSpecError(`xl cannot read the network interface "${spec}": ${err.message}`, spec, err.detail);
        throw err;
      }
      v.rate = value;
    } else if (key === 'devid') {
      const r = strtoul(value, 0, 10);
      if (!r || r.value >= Number.MAX_SAFE_INTEGER) throw new XlVifSpecError(`xl cannot read the network interface "${spec}": devid "${value}" is not a number.`, spec, `xl: failed to convert "${value}" to number`);
      v.devid = r.value;
    } else if (key === 'accel') {
      v.warnings.push('the accel parameter for vifs is currently not supported');
      v.other.push(token);
    } else if (key !== null && (key === 'forwarddev' || key.startsWith('colo_'))) {
      v.other.push(token);
    } else {
      v.warnings.push(`unrecognized argument \`${token}'`);
      v.other.push(token);
    }
  }
  return v;
}

/**
 * The spec with key set to value (the first piece of that key rewritten in place, later ones of
 * the same key dropped since xl would let them win; added at the end when absent). Every other
 * piece stays as written.
 */
export function setVifParam(spec: string, key: string, value: string): string {
  const out: string[] = [];
  let done = false;
  for (const token of vifTokens(spec)) {
    if (token.startsWith(`${key}=`)) {
      if (!done) out.push(`${key}=${value}`);
      done = true;
    } else out.push(token);
  }
  if (!done) out.push(`${key}=${value}`);
  return out.join(',');
}

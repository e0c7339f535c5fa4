// Seeded mutations of recorded command outputs: what a broken or hostile host might print
// instead. Reproducible: the same seed gives the same inputs, so a crash found once can be
// found again with `npm run fuzz -- --seed N --target T`.

/** mulberry32: small, fast, good enough to pick mutations; never for anything secret. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;

/**
 * Inputs stay below 256 KiB: ten times the largest real output here (xl list -l of the lab is
 * 20 KiB), enough for a 100,000-character line to show any parser that is quadratic in it, but
 * not so much that merely reading the text in linear time takes 100 ms on a busy machine.
 * Bounding what a host may send in all is the transport's part.
 */
export const MAX_INPUT = 1 << 18;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];
/** Mostly small, sometimes very large: long lines and deep nesting need the large end. */
const size = (r: Rand) => pick(r, [1, 2, 3, 8, 40, 300, 5_000, 100_000]);

const NUMBERS = [
  '4294967295', '4294967296', '9007199254740993', '18446744073709551615', '1e999', '-1e999', '1e308',
  '-1', '-0', '0.0000001', 'NaN', 'Infinity', '0x10', '1_000', '00000000000000000000001', '9'.repeat(400),
];
const RANGES = ['-', '--', '0-', '-0', '0-4294967295', '0-9007199254740993', '5-3', '0-4096', '1-1-1', ',', ',,', '0-1,', 'all', 'none'];
const UNICODE = ['é', '€', '😀', '\u202e', '\u0301', '\ufeff', '\ud800', '\udfff', '\u0000', '\r', '\t', '\u2028', 'ǅ', '\uffff'];

function at(r: Rand, s: string): number {
  return int(r, s.length + 1);
}

function insert(s: string, i: number, piece: string): string {
  return s.slice(0, i) + piece + s.slice(i);
}

/** Replaces a random run of digits (there usually are some), or inserts at random. */
function replaceNumber(r: Rand, s: string, by: string): string {
  const runs = [...s.matchAll(/\d+/g)];
  if (!runs.length) return insert(s, at(r, s), by);
  const m = pick(r, runs);
  return s.slice(0, m.index) + by + s.slice(m.index! + m[0].length);
}

function splitLines(s: string): string[] {
  return s.split('\n');
}

export const MUTATIONS: Record<string, (r: Rand, s: string) => string> = {
  byteFlip(r, s) {
    if (!s.length) return String.fromCharCode(int(r, 256));
    const i = int(r, s.length);
    return s.slice(0, i) + String.fromCharCode(int(r, 256)) + s.slice(i + 1);
  },
  lineDuplicate(r, s) {
    const ls = splitLines(s);
    const i = int(r, ls.length);
    const room = Math.floor((MAX_INPUT - s.length) / (ls[i].length + 1));
    ls.splice(i, 0, ...Array<string>(Math.max(0, Math.min(size(r), room))).fill(ls[i]));
    return ls.join('\n');
  },
  lineDelete(r, s) {
    const ls = splitLines(s);
    ls.splice(int(r, ls.length), 1 + int(r, 3));
    return ls.join('\n');
  },
  lineSwap(r, s) {
    const ls = splitLines(s);
    const i = int(r, ls.length);
    const j = int(r, ls.length);
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return ls.join('\n');
  },
  digitRun(r, s) {
    const digits = Array.from({ length: size(r) }, () => String(int(r, 10))).join('');
    return r() < 0.7 ? replaceNumber(r, s, digits) : insert(s, at(r, s), digits);
  },
  hugeNumber(r, s) {
    return replaceNumber(r, s, pick(r, NUMBERS));
  },
  rangeOrDash(r, s) {
    const piece = pick(r, RANGES);
    return r() < 0.6 ? replaceNumber(r, s, piece) : insert(s, at(r, s), piece);
  },
  nesting(r, s) {
    const n = size(r);
    const open = pick(r, ['[', '{', '(', '[{', '{"a":[', '"']);
    const piece = open.repeat(n) + (r() < 0.5 ? '' : pick(r, [']', '}', ')', ']}', ']}', '"']).repeat(n));
    // JSON outputs start with a bracket: nesting there is what JSON.parse would meet first.
    return insert(s, r() < 0.3 ? s.search(/[[{]/) + 1 : at(r, s), piece);
  },
  longLine(r, s) {
    const unit = pick(r, [' ', 'a', '0', '\t', ',', '"', '\\', '=', ':', '-', '0-1,', '\\x', '9 ', '[', ' "a" ']);
    return insert(s, at(r, s), unit.repeat(size(r)));
  },
  unicode(r, s) {
    let out = s;
    for (let k = 1 + int(r, 5); k > 0; k--) out = insert(out, at(r, out), pick(r, UNICODE));
    return out;
  },
  truncate(r, s) {
    return s.slice(0, at(r, s));
  },
  crlf(r, s) {
    return r() < 0.5 ? s.replace(/\n/g, '\r\n') : s.replace(/\n/g, '\r');
  },
};

const NAMES = Object.keys(MUTATIONS);

/** One to four stacked mutations; returns the input and the names of what was done. */
export function mutate(r: Rand, text: string): { input: string; applied: string[] } {
  let input = text;
  const applied: string[] = [];
  for (let k = 1 + int(r, 4); k > 0; k--) {
    const name = pick(r, NAMES);
    input = MUTATIONS[name](r, input).slice(0, MAX_INPUT);
    applied.push(name);
  }
  return { input, applied };
}

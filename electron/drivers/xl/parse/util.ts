// Small helpers shared by the xl output parsers. Pure functions, no I/O.
import { UnreadableOutputError } from '../../../api/errors';

/**
 * Raised when a text is not the output of the command a parser expects; `text` is the raw
 * output. The caller that knows the host names it (UnreadableOutputError.forHost).
 */
export class XlParseError extends UnreadableOutputError {
  constructor(message: string, text: string) {
    super(message, text);
    this.name = 'XlParseError';
  }
}

/** A value for an error message: quoted, and cut when a host printed something very long. */
export function shown(text: string | undefined): string {
  if (text === undefined) return 'nothing';
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Lines of a command output: CRLF tolerated (pty channels), trailing empty line dropped. */
export function lines(text: string): string[] {
  const out = text.replace(/\r\n?/g, '\n').split('\n');
  if (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * A table row whose first column (a domain name) may hold spaces, read by its other columns: the
 * first word from which on the words match `columns` gives the name (everything before it) and
 * the values; with `last`, those words must end the line. Linear in the length of the line,
 * where a regular expression such as /^(.*?)\s+(\d+)\s+.../ takes quadratic time on a long one.
 */
export function rowFromRight(
  line: string,
  columns: readonly RegExp[],
  last: boolean,
): { name: string; values: string[]; rest: string } | null {
  const n = columns.length;
  const words = last ? lastWords(line, n + 1) : allWords(line);
  const from = last ? words.length / 2 - n : 1;
  const to = words.length / 2 - n;
  if (from < 1) return null;
  for (let i = from; i <= to; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) ok = columns[j].test(line.slice(words[2 * (i + j)], words[2 * (i + j) + 1]));
    if (!ok) continue;
    const values = columns.map((_, j) => line.slice(words[2 * (i + j)], words[2 * (i + j) + 1]));
    return { name: line.slice(0, words[2 * i]).trim(), values, rest: line.slice(words[2 * (i + n - 1) + 1]).trim() };
  }
  return null;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || (c > '~' || c < ' ' ? /\s/.test(c) : false);

/** Start and end of every word, flat: [s0, e0, s1, e1, ...]. */
function allWords(line: string): number[] {
  const out: number[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const space = i === line.length || isSpace(line[i]);
    if (space && start >= 0) {
      out.push(start, i);
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  return out;
}

/** Like allWords() for the last `k` words only (fewer when the line has fewer), scanning from the end. */
function lastWords(line: string, k: number): number[] {
  const out: number[] = [];
  let end = -1;
  for (let i = line.length - 1; i >= -1 && out.length < 2 * k; i--) {
    const space = i < 0 || isSpace(line[i]);
    if (space && end >= 0) {
      out.unshift(i + 1, end);
      end = -1;
    } else if (!space && end < 0) end = i + 1;
  }
  return out;
}

/** A finite decimal number, or null when the text is not one ("-", "n/a", "", "1e999"). */
export function num(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  // (\d+(\.\d*)?), not (\d+\.?\d*): the latter splits a long run of digits in quadratic ways.
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A quantity that cannot be negative (memory, a percentage, a counter): finite and >= 0, else null. */
export function amount(text: string | undefined): number | null {
  const n = num(text);
  return n !== null && n >= 0 ? n : null;
}

/**
 * A count or an identifier (domid, vCPU number, memory in KiB): an integer from 0 up to
 * Number.MAX_SAFE_INTEGER, else null. Beyond 2^53 a number no longer says which value it was.
 */
export function count(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\+?\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** Like num() but a missing or malformed value is a parse error. */
export function reqNum(text: string | undefined, what: string, source: string): number {
  const n = num(text);
  if (n === null) throw new XlParseError(`expected a number for ${what}, got ${shown(text)}`, source);
  return n;
}

/** Like count() but a missing or malformed value is a parse error. */
export function reqCount(text: string | undefined, what: string, source: string): number {
  const n = count(text);
  if (n === null) throw new XlParseError(`expected a whole number for ${what}, got ${shown(text)}`, source);
  return n;
}

/** Like amount() but a missing or malformed value is a parse error. */
export function reqAmount(text: string | undefined, what: string, source: string): number {
  const n = amount(text);
  if (n === null) throw new XlParseError(`expected a number of at least 0 for ${what}, got ${shown(text)}`, source);
  return n;
}

/** A CPU set as xl prints it: "all", "none", "0-3,6", "5". */
export type CpuSet = 'all' | number[];

/**
 * The highest physical CPU number Domus accepts. Xen's own NR_CPUS is 4095 at most (x86 Kconfig),
 * so anything above is not a CPU but a broken or hostile host: refusing it keeps a range such as
 * "0-4294967295" from filling memory until the process dies.
 */
export const MAX_CPU_INDEX = 4095;

/**
 * The CPUs of a set, ascending, each once; null when the text is not a CPU set (a number beyond
 * MAX_CPU_INDEX, a range that runs backwards, anything but digits, "-" and ",").
 */
export function parseCpuSet(text: string): CpuSet | null {
  const t = text.trim();
  if (t === 'all') return 'all';
  if (t === 'none' || t === '') return [];
  const ranges: [number, number][] = [];
  for (const part of t.split(',')) {
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b > MAX_CPU_INDEX || b < a) return null;
    ranges.push([a, b]);
  }
  // Sorted and merged, so each CPU is listed once and the work follows the text, not the cap.
  ranges.sort((x, y) => x[0] - y[0]);
  const cpus: number[] = [];
  let next = 0;
  for (const [a, b] of ranges) for (let c = Math.max(a, next); c <= b; c++, next = c) cpus.push(c);
  return cpus;
}

const CANONICAL_BDF = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;
const BDF_RE = /^(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;

/** Normalises a PCI address to "0000:00:05.0" (lower case, with the domain); null if not one. */
export function normaliseBdf(text: string): string | null {
  // What xl and lspci -D print already: no new strings (a host may print thousands).
  if (CANONICAL_BDF.test(text)) return text;
  const m = BDF_RE.exec(text.trim());
  if (!m) return null;
  const hex = (s: string, w: number) => s.toLowerCase().padStart(w, '0');
  return `${hex(m[1] ?? '0', 4)}:${hex(m[2], 2)}:${hex(m[3], 2)}.${m[4]}`;
}

/** "0000:00:05.0" from numeric parts (libxl JSON prints them as numbers). */
export function bdfFromParts(domain: number, bus: number, dev: number, func: number): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${h(domain, 4)}:${h(bus, 2)}:${h(dev, 2)}.${func}`;
}

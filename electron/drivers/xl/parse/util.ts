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

/** Lines of a command output: CRLF tolerated (pty channels), trailing empty line dropped. */
export function lines(text: string): string[] {
  const out = text.replace(/\r\n?/g, '\n').split('\n');
  if (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** A decimal number, or null when the text is not one ("-", "n/a", ""). */
export function num(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  return Number(t);
}

/** Like num() but a missing or malformed value is a parse error. */
export function reqNum(text: string | undefined, what: string, source: string): number {
  const n = num(text);
  if (n === null) throw new XlParseError(`expected a number for ${what}, got ${JSON.stringify(text)}`, source);
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
  const member = new Uint8Array(MAX_CPU_INDEX + 1);
  for (const part of t.split(',')) {
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b > MAX_CPU_INDEX || b < a) return null;
    member.fill(1, a, b + 1);
  }
  const cpus: number[] = [];
  member.forEach((on, cpu) => on && cpus.push(cpu));
  return cpus;
}

const BDF_RE = /^(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;

/** Normalises a PCI address to "0000:00:05.0" (lower case, with the domain); null if not one. */
export function normaliseBdf(text: string): string | null {
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

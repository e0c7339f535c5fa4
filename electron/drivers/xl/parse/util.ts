// Small helpers shared by the xl output parsers. Pure functions, no I/O.

/** Raised when a text is not the output of the command a parser expects. */
export class XlParseError extends Error {
  constructor(
    message: string,
    readonly text: string,
  ) {
    super(message);
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

export function parseCpuSet(text: string): CpuSet | null {
  const t = text.trim();
  if (t === 'all') return 'all';
  if (t === 'none' || t === '') return [];
  const cpus: number[] = [];
  for (const part of t.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let c = a; c <= b; c++) cpus.push(c);
  }
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

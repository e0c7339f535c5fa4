// An xl.cfg file as a document that keeps everything the user wrote. xl.cfg (libxlu's grammar):
// `KEY = VALUE` or `KEY += VALUE`, ended by a newline or `;`; VALUE is a number, a string in
// "double" or 'single' quotes (backslash escapes), or a list `[ v, v, ]` that may run over many
// lines with comments in between; `#` starts a comment to the end of the line.
//
// The document is a sequence of pieces, each holding its exact source text: trivia (blank lines,
// comments, indentation) and settings. Printing an unchanged document gives back the same bytes;
// setting a value rewrites only that setting's text (its trailing comment stays), and a new key is
// appended at the end. That is how comments and the order the user chose survive an edit.

export type XlCfgValue = string | number | XlCfgValue[];

export class XlCfgSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'XlCfgSyntaxError';
  }
}

interface Trivia {
  kind: 'trivia';
  text: string;
}

interface Setting {
  kind: 'setting';
  key: string;
  append: boolean;
  value: XlCfgValue;
  /** The exact source of `key = value` (no trailing `;`, comment or newline). */
  text: string;
  /** What followed on the same line: spaces, `;`, a comment, the newline. */
  tail: string;
  /** The quote character the user wrote strings with, kept when the value is rewritten. */
  quote: '"' | "'";
  /** The list layout the user wrote, kept when a list is rewritten. */
  multiline: string | null;
}

type Piece = Trivia | Setting;

const KEY_START = /[A-Za-z_]/;
const KEY_CHAR = /[A-Za-z0-9_.]/;

class Scanner {
  pos = 0;
  constructor(readonly src: string) {}

  peek(o = 0): string {
    return this.src[this.pos + o] ?? '';
  }
  eof(): boolean {
    return this.pos >= this.src.length;
  }
  where(at = this.pos): { line: number; column: number } {
    const before = this.src.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - before.lastIndexOf('\n') };
  }
  fail(message: string, at = this.pos): never {
    const w = this.where(at);
    throw new XlCfgSyntaxError(message, w.line, w.column);
  }
  /** Spaces and tabs only. */
  blanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\r') this.pos++;
  }
  /** Whitespace, newlines and comments (inside a list). */
  gap(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.pos++;
      else if (c === '#') while (!this.eof() && this.peek() !== '\n') this.pos++;
      else return;
    }
  }
}

function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };
    return map[e] ?? e;
  });
}

function readString(s: Scanner): { value: string; quote: '"' | "'" } {
  const quote = s.peek() as '"' | "'";
  const start = s.pos;
  s.pos++;
  let body = '';
  for (;;) {
    const c = s.peek();
    if (c === '' || c === '\n') s.fail('a string is not closed on its line', start);
    if (c === '\\') {
      body += c + s.peek(1);
      s.pos += 2;
      continue;
    }
    s.pos++;
    if (c === quote) break;
    body += c;
  }
  return { value: unescape(body), quote };
}

function readAtom(s: Scanner): { value: string | number; quote: '"' | "'" | null } {
  const c = s.peek();
  if (c === '"' || c === "'") return readString(s);
  const m = /^(0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]+)?)(?![A-Za-z0-9_.])/.exec(s.src.slice(s.pos));
  if (m) {
    s.pos += m[1].length;
    return { value: m[1].startsWith('0x') || m[1].startsWith('0X') ? parseInt(m[1], 16) : Number(m[1]), quote: null };
  }
  s.fail(c === '' || c === '\n' ? 'a value is missing' : `unexpected "${c}" where a value should be`);
}

function readValue(s: Scanner): { value: XlCfgValue; quote: '"' | "'" | null } {
  if (s.peek() !== '[') return readAtom(s);
  const open = s.pos;
  s.pos++;
  const items: XlCfgValue[] = [];
  let quote: '"' | "'" | null = null;
  for (;;) {
    s.gap();
    if (s.peek() === ']') {
      s.pos++;
      return { value: items, quote };
    }
    if (s.eof()) s.fail('a list is not closed with "]"', open);
    const v = readValue(s);
    items.push(v.value);
    quote ??= v.quote;
    s.gap();
    if (s.peek() === ',') s.pos++;
    else if (s.peek() !== ']') s.fail(s.eof() ? 'a list is not closed with "]"' : `expected "," or "]" in a list, found "${s.peek()}"`, s.eof() ? open : s.pos);
  }
}

/** The indentation and trailing-comma style of a list written over several lines, or null. */
function listLayout(text: string): string | null {
  const m = /\[\s*\n([ \t]*)/.exec(text);
  return m ? m[1] || '    ' : null;
}

export function parsePieces(src: string): Piece[] {
  const s = new Scanner(src);
  const pieces: Piece[] = [];
  let trivia = '';
  const flushTrivia = () => {
    if (trivia) pieces.push({ kind: 'trivia', text: trivia });
    trivia = '';
  };
  while (!s.eof()) {
    const c = s.peek();
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';') {
      trivia += c;
      s.pos++;
      continue;
    }
    if (c === '#') {
      const end = src.indexOf('\n', s.pos);
      const stop = end < 0 ? src.length : end + 1;
      trivia += src.slice(s.pos, stop);
      s.pos = stop;
      continue;
    }
    if (!KEY_START.test(c)) s.fail(`unexpected "${c}" where a setting should start`);
    flushTrivia();
    const start = s.pos;
    while (KEY_CHAR.test(s.peek())) s.pos++;
    const key = src.slice(start, s.pos);
    s.blanks();
    let append = false;
    if (s.peek() === '+' && s.peek(1) === '=') {
      append = true;
      s.pos += 2;
    } else if (s.peek() === '=') s.pos++;
    else s.fail(`"${key}" must be followed by "="`);
    s.blanks();
    const v = readValue(s);
    const text = src.slice(start, s.pos);
    // The rest of the line belongs to this setting: blanks, `;`, a comment, the newline.
    const tailStart = s.pos;
    s.blanks();
    let semicolon = false;
    if (s.peek() === ';') {
      semicolon = true;
      s.pos++;
      s.blanks();
    }
    if (s.peek() === '#') while (!s.eof() && s.peek() !== '\n') s.pos++;
    if (s.peek() === '\n') s.pos++;
    else if (!s.eof() && !semicolon) {
      s.fail(`unexpected "${s.peek()}" after the value of "${key}"`);
    }
    pieces.push({
      kind: 'setting',
      key,
      append,
      value: v.value,
      text,
      tail: src.slice(tailStart, s.pos),
      quote: v.quote ?? '"',
      multiline: Array.isArray(v.value) ? listLayout(text) : null,
    });
  }
  flushTrivia();
  return pieces;
}

function formatString(v: string, quote: '"' | "'"): string {
  // Keep the user's quote character unless the value contains it.
  const q = v.includes(quote) && !v.includes(quote === '"' ? "'" : '"') ? (quote === '"' ? "'" : '"') : quote;
  const body = v
    .replace(/\\/g, '\\\\')
    .replace(new RegExp(q, 'g'), `\\${q}`)
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t');
  return `${q}${body}${q}`;
}

export function formatValue(v: XlCfgValue, quote: '"' | "'" = '"', multiline: string | null = null): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('An xl.cfg number must be finite.');
    return String(v);
  }
  if (typeof v === 'string') return formatString(v, quote);
  const items = v.map((x) => formatValue(x, quote));
  if (multiline !== null && items.length > 0) return `[\n${items.map((i) => `${multiline}${i},\n`).join('')}]`;
  return `[ ${items.join(', ')} ]`.replace('[  ]', '[]');
}

const VALID_KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export class XlCfg {
  private constructor(private pieces: Piece[]) {}

  /** Reads a config; throws XlCfgSyntaxError (with line and column) when xl could not read it. */
  static parse(text: string): XlCfg {
    return new XlCfg(parsePieces(text));
  }

  private settings(): Setting[] {
    return this.pieces.filter((p): p is Setting => p.kind === 'setting');
  }

  /** Keys in the order they appear (each once). */
  keys(): string[] {
    return [...new Set(this.settings().map((s) => s.key))];
  }

  has(key: string): boolean {
    return this.settings().some((s) => s.key === key);
  }

  /** The value xl would use: the last `=` wins, `+=` appends to a list. */
  get(key: string): XlCfgValue | undefined {
    let value: XlCfgValue | undefined;
    for (const s of this.settings()) {
      if (s.key !== key) continue;
      if (s.append && Array.isArray(value)) value = [...value, ...(Array.isArray(s.value) ? s.value : [s.value])];
      else value = s.value;
    }
    return value;
  }

  getString(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === 'string' ? v : undefined;
  }

  getNumber(key: string): number | undefined {
    const v = this.get(key);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
    return undefined;
  }

  getList(key: string): XlCfgValue[] {
    const v = this.get(key);
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  /**
   * Sets a key. The first setting of the key is rewritten in place (its comment and position
   * stay), later ones (e.g. `+=`) are dropped since the new value replaces them all. A new key
   * goes at the end.
   */
  set(key: string, value: XlCfgValue): this {
    if (!VALID_KEY.test(key)) throw new Error(`"${key}" is not a valid xl.cfg key.`);
    const all = this.settings().filter((s) => s.key === key);
    if (all.length === 0) {
      const last = this.pieces[this.pieces.length - 1];
      const endsWithNewline = !last || (last.kind === 'trivia' ? last.text.endsWith('\n') : last.tail.endsWith('\n'));
      if (!endsWithNewline) this.pieces.push({ kind: 'trivia', text: '\n' });
      const quote = this.settings()[0]?.quote ?? '"';
      this.pieces.push({ kind: 'setting', key, append: false, value, text: `${key} = ${formatValue(value, quote)}`, tail: '\n', quote, multiline: null });
      return this;
    }
    const [first, ...rest] = all;
    first.append = false;
    first.value = value;
    const sep = /^[A-Za-z0-9_.]+(\s*)\+?=(\s*)/.exec(first.text);
    first.text = `${key}${sep?.[1] ?? ' '}=${sep?.[2] ?? ' '}${formatValue(value, first.quote, first.multiline)}`;
    for (const r of rest) this.removePiece(r);
    return this;
  }

  /** Removes every setting of a key with its own line (comments on lines of their own stay). */
  delete(key: string): boolean {
    const all = this.settings().filter((s) => s.key === key);
    for (const s of all) this.removePiece(s);
    return all.length > 0;
  }

  private removePiece(s: Setting): void {
    const i = this.pieces.indexOf(s);
    this.pieces.splice(i, 1);
    // Drop the indentation that stood before it on its line.
    const prev = this.pieces[i - 1];
    if (prev?.kind === 'trivia') {
      const m = /(^|\n)[ \t]*$/.exec(prev.text);
      if (m) prev.text = prev.text.slice(0, prev.text.length - m[0].length + m[1].length);
    }
  }

  toString(): string {
    return this.pieces.map((p) => (p.kind === 'trivia' ? p.text : p.text + p.tail)).join('');
  }
}

// An xl.cfg file as a document that keeps everything the user wrote. xl.cfg (libxlu's grammar,
// checked against libxlutil 4.17 by test/unit/xlcfg/config.oracle.test.ts): `KEY = VALUE` or
// `KEY += VALUE`, ended by a newline or `;`; a KEY is a lower-case letter then lower-case letters,
// digits, `_` and `.`; VALUE is a number (a digit then digits, a-f and x: 0100 is octal, 0x40 hex
// when read as a number), a string in "double" or 'single' quotes with the escapes \n \t \r \a
// \b \f \v \\ \" \', or a list `[ v, v, ]` over any lines with comments in between; lists nest
// (as deep as xl's parser stack allows); `#` starts a comment that must end with a newline. A
// carriage return is not allowed. `+=` joins strings (numbers count as their text) and appends
// lists; adding a list to a string or back is an error.
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
  /** The number as written (xl keeps numbers as text: `+=` joins the text). */
  numberText: string | null;
}

type Piece = Trivia | Setting;

const KEY_START = /[a-z]/;
const KEY_CHAR = /[a-z0-9_.]/;
/** Deeper nesting exhausts xl's parser stack ("memory exhausted"); measured on libxlutil 4.17. */
export const MAX_LIST_DEPTH = 4996;

/** A value as xl's xlu_cfg_get_long reads it (strtol, base from the prefix), or undefined. */
export function xlLong(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const t = m[2];
  const v = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : t.length > 1 && t[0] === '0' ? parseInt(t, 8) : Number(t);
  // xl's strtol refuses what does not fit a long (ERANGE); Domus also refuses what a double
  // cannot hold exactly, so no config value becomes Infinity or a rounded number.
  if (!Number.isSafeInteger(v)) return undefined;
  return m[1] === '-' ? -v : v;
}

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
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  /** A comment up to and with its newline (xl refuses one that the file ends in). */
  comment(): void {
    const end = this.src.indexOf('\n', this.pos);
    if (end < 0) this.fail('a comment must end with a newline (xl refuses one at the very end of the file)');
    this.pos = end + 1;
  }
  /** Whitespace, newlines and comments (inside a list). */
  gap(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\n') this.pos++;
      else if (c === '#') this.comment();
      else return;
    }
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

function readString(s: Scanner): { value: string; quote: '"' | "'" } {
  const quote = s.peek() as '"' | "'";
  const start = s.pos;
  s.pos++;
  let body = '';
  for (;;) {
    const c = s.peek();
    if (c === '' || c === '\n') s.fail('a string is not closed on its line', start);
    if (c === '\\') {
      const e = s.peek(1);
      if (ESCAPES[e] === undefined) {
        // libxlu refuses numeric escapes and any other character after a backslash.
        s.fail(/[0-9x]/.test(e) ? `xl does not read the escape "\\${e}" in a string` : `"\\${e}" is not an escape xl knows in a string`, s.pos);
      }
      body += ESCAPES[e];
      s.pos += 2;
      continue;
    }
    if (c === '\r') s.fail('a carriage return is not allowed (save the file with Unix line ends)');
    s.pos++;
    if (c === quote) break;
    body += c;
  }
  return { value: body, quote };
}

const NUMBER = /[0-9][0-9a-fx]*/y;

interface Atom {
  value: string | number;
  quote: '"' | "'" | null;
  numberText: string | null;
}

function readAtom(s: Scanner): Atom {
  const c = s.peek();
  if (c === '"' || c === "'") return { ...readString(s), numberText: null };
  NUMBER.lastIndex = s.pos;
  const m = NUMBER.exec(s.src);
  if (m) {
    s.pos += m[0].length;
    // xl keeps the text; a number Domus can compute is one xl's get_long would read.
    const n = xlLong(m[0]);
    return { value: n ?? m[0], quote: null, numberText: m[0] };
  }
  if (c === '\r') s.fail('a carriage return is not allowed (save the file with Unix line ends)');
  s.fail(c === '' || c === '\n' ? 'a value is missing' : `unexpected "${c}" where a value should be`);
}

/** A value; lists are read without recursion, so no nesting can overflow the stack. */
function readValue(s: Scanner): Atom | { value: XlCfgValue[]; quote: '"' | "'" | null; numberText: null } {
  if (s.peek() !== '[') return readAtom(s);
  const stack: { items: XlCfgValue[]; open: number }[] = [];
  let quote: '"' | "'" | null = null;
  let expectValue = true;
  for (;;) {
    if (expectValue && s.peek() === '[') {
      if (stack.length >= MAX_LIST_DEPTH) s.fail(`lists are nested deeper than xl can read (${MAX_LIST_DEPTH} levels)`);
      stack.push({ items: [], open: s.pos });
      s.pos++;
      s.gap();
      continue;
    }
    const top = stack[stack.length - 1];
    if (s.peek() === ']') {
      s.pos++;
      stack.pop();
      if (stack.length === 0) return { value: top.items, quote, numberText: null };
      stack[stack.length - 1].items.push(top.items);
      expectValue = false;
      s.gap();
      continue;
    }
    if (s.eof()) s.fail('a list is not closed with "]"', top.open);
    if (expectValue) {
      const v = readAtom(s);
      top.items.push(v.value);
      quote ??= v.quote;
      expectValue = false;
      s.gap();
      continue;
    }
    if (s.peek() !== ',') s.fail(`expected "," or "]" in a list, found "${s.peek()}"`);
    s.pos++;
    expectValue = true;
    s.gap();
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
  // What each key holds so far, for += (xl refuses adding a list to a string or back).
  const kinds = new Map<string, 'list' | 'string'>();
  const flushTrivia = () => {
    if (trivia) pieces.push({ kind: 'trivia', text: trivia });
    trivia = '';
  };
  while (!s.eof()) {
    const c = s.peek();
    if (c === ' ' || c === '\t' || c === '\n' || c === ';') {
      trivia += c;
      s.pos++;
      continue;
    }
    if (c === '#') {
      const start = s.pos;
      s.comment();
      trivia += src.slice(start, s.pos);
      continue;
    }
    if (c === '\r') s.fail('a carriage return is not allowed (save the file with Unix line ends)');
    if (!KEY_START.test(c)) s.fail(/[A-Z_]/.test(c) ? `"${c}": an xl.cfg key starts with a lower-case letter` : `unexpected "${c}" where a setting should start`);
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
    const valueAt = s.pos;
    const v = readValue(s);
    const kind = Array.isArray(v.value) ? 'list' : 'string';
    if (append && kinds.has(key) && kinds.get(key) !== kind) s.fail(`"${key} +=" cannot add a ${kind} to a ${kinds.get(key)}`, valueAt);
    kinds.set(key, kind);
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
    if (s.peek() === '#') s.comment();
    else if (s.peek() === '\n') s.pos++;
    else if (s.peek() === '\r') s.fail('a carriage return is not allowed (save the file with Unix line ends)');
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
      numberText: v.numberText,
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
    .replace(/\r/g, '\\r')
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

const VALID_KEY = /^[a-z][a-z0-9_.]*$/;

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

  /** The value xl would use: the last `=` wins, `+=` appends to a list or joins strings. */
  get(key: string): XlCfgValue | undefined {
    let value: XlCfgValue | undefined;
    let text: string | null = null;
    for (const s of this.settings()) {
      if (s.key !== key) continue;
      if (s.append && Array.isArray(value) && Array.isArray(s.value)) value = [...value, ...s.value];
      else if (s.append && value !== undefined && !Array.isArray(value) && !Array.isArray(s.value)) {
        // Joined as text, as xl does: 1 += 2 is "12".
        value = (text ?? String(value)) + (s.numberText ?? String(s.value));
        text = null;
      } else {
        value = s.value;
        text = s.numberText;
      }
    }
    return value;
  }

  getString(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === 'string' ? v : undefined;
  }

  /** The value as xl's get_long reads it: 0100 is 64, 0x40 is 64, "09" is no number. */
  getNumber(key: string): number | undefined {
    const v = this.get(key);
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return xlLong(v);
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
  set(key: string, value: XlCfgValue, style: { quote?: '"' | "'"; oneLine?: boolean } = {}): this {
    if (!VALID_KEY.test(key)) throw new Error(`"${key}" is not a valid xl.cfg key.`);
    const all = this.settings().filter((s) => s.key === key);
    if (all.length === 0) {
      const last = this.pieces[this.pieces.length - 1];
      const endsWithNewline = !last || (last.kind === 'trivia' ? last.text.endsWith('\n') : last.tail.endsWith('\n'));
      if (!endsWithNewline) this.pieces.push({ kind: 'trivia', text: '\n' });
      const quote = style.quote ?? this.settings()[0]?.quote ?? '"';
      this.pieces.push({ kind: 'setting', key, append: false, value, text: `${key} = ${formatValue(value, quote)}`, tail: '\n', quote, multiline: null, numberText: null });
      return this;
    }
    const [first, ...rest] = all;
    if (style.quote) first.quote = style.quote;
    if (style.oneLine) first.multiline = null;
    first.append = false;
    first.value = value;
    first.numberText = null;
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

// Lines out of a byte stream from the host (xenstore watches, the monitor script, xentop). Each
// chunk is scanned once, from where the last one ended: joining the unfinished line to every new
// chunk and splitting the whole again cost quadratic time (8 MiB without a newline took a second
// of CPU). An unfinished line is held up to a limit; a longer one is dropped, with the rest of it
// up to its newline, and reported, so a host cannot make Domus hold an unbounded buffer.
import { StringDecoder } from 'node:string_decoder';

/** Far beyond any line Domus reads from these streams (a domain's row is a few hundred bytes). */
export const MAX_LINE_CHARS = 1024 * 1024;

export class LineReader {
  // A character split across two chunks is decoded whole.
  private readonly decoder = new StringDecoder('utf8');
  private pieces: string[] = [];
  private held = 0;
  private dropping = false;

  /** onDropped is told once per over-long line, when it passes the limit. */
  constructor(
    private readonly onDropped: (limit: number) => void,
    private readonly maxChars = MAX_LINE_CHARS,
  ) {}

  /** The lines this chunk completes, without their newlines. */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      if (!this.dropping && this.fits(nl - from)) {
        const tail = text.slice(from, nl);
        lines.push(this.pieces.length === 0 ? tail : this.pieces.join('') + tail);
      }
      this.pieces = [];
      this.held = 0;
      this.dropping = false;
      from = nl + 1;
    }
    if (from < text.length && !this.dropping && this.fits(text.length - from)) {
      this.pieces.push(text.slice(from));
      this.held += text.length - from;
    }
    return lines;
  }

  /** The unfinished last line, if any, once the stream has ended. */
  end(): string[] {
    const lines = this.push(this.decoder.end());
    if (!this.dropping && this.held > 0) lines.push(this.pieces.join(''));
    this.pieces = [];
    this.held = 0;
    this.dropping = false;
    return lines;
  }

  /** Whether `more` characters may join the held line; past the limit the line is dropped. */
  private fits(more: number): boolean {
    if (this.held + more <= this.maxChars) return true;
    this.pieces = [];
    this.held = 0;
    this.dropping = true;
    this.onDropped(this.maxChars);
    return false;
  }
}

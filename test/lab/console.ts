// Talks to a kit guest's console through `xl console` on a pty, the way a person would: wait for
// the busybox prompt, type a command, read its output. Under emulation the console can return EOF
// right after `xl create`, and a typed line can be lost while the guest is busy; both are retried.
import type { ClientChannel } from 'ssh2';
import type { LabHost } from './labHost';

const PROMPT = /[/~] # /;

export class GuestConsole {
  private buf = '';
  private closed = false;

  private constructor(private readonly ch: ClientChannel) {
    ch.on('data', (d: Buffer) => (this.buf += d.toString('utf8')));
    ch.on('close', () => (this.closed = true));
  }

  static async open(
    lab: LabHost,
    domain: string,
    opts: { type?: 'pv' | 'serial'; attempts?: number; promptTimeoutMs?: number } = {},
  ): Promise<GuestConsole> {
    const attempts = opts.attempts ?? 5;
    let lastOutput = '';
    for (let i = 0; i < attempts; i++) {
      const ch = await lab.pty(['xl', 'console', '-t', opts.type ?? 'pv', domain]);
      const con = new GuestConsole(ch);
      try {
        await con.waitForPrompt(opts.promptTimeoutMs ?? 90_000);
        return con;
      } catch {
        lastOutput = con.buf.slice(-500);
        con.close();
        await new Promise((r) => setTimeout(r, 3000));
      }
    }
    throw new Error(`No shell prompt on the console of ${domain}. Last output: ${JSON.stringify(lastOutput)}`);
  }

  private async waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test()) {
      if (this.closed) throw new Error(`The console closed while waiting for ${what}.`);
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
      // A guest that has finished booting prints nothing until asked; a newline brings the prompt.
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async waitForPrompt(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    let nudged = 0;
    while (!PROMPT.test(this.buf)) {
      if (this.closed) throw new Error('The console closed before a prompt appeared.');
      if (Date.now() > end) throw new Error('No prompt.');
      if (Date.now() > end - timeoutMs + (nudged + 1) * 5000) {
        this.ch.write('\r');
        nudged++;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Types `command` and returns what it printed between two markers. Resends if the line is lost. */
  async run(command: string, timeoutMs = 60_000): Promise<string> {
    const tag = Math.random().toString(36).slice(2, 8);
    // The markers are built by the shell so the echo of the typed line never matches them.
    const line = `echo BEGIN-${tag}""; ${command}; echo END-${tag}""`;
    const begin = `BEGIN-${tag}\r\n`;
    const endMark = `END-${tag}\r\n`;
    const perTry = Math.max(15_000, Math.floor(timeoutMs / 4));
    for (let attempt = 0; attempt < 4; attempt++) {
      const from = this.buf.length;
      this.ch.write(`${line}\r`);
      try {
        await this.waitFor(() => this.buf.indexOf(endMark, from) >= 0, perTry, `the output of "${command}"`);
        const text = this.buf.slice(from);
        const start = text.indexOf(begin);
        return text.slice(start + begin.length, text.indexOf(endMark, start)).replace(/\r\n/g, '\n');
      } catch (err) {
        if (this.closed) throw err;
      }
    }
    throw new Error(`The console never answered "${command}". Last output: ${JSON.stringify(this.buf.slice(-300))}`);
  }

  /** The `xl console` channel has ended (the guest went away, or close()). */
  get isClosed(): boolean {
    return this.closed;
  }

  get output(): string {
    return this.buf;
  }

  close(): void {
    if (!this.closed) this.ch.close();
  }
}

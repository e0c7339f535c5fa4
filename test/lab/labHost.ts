// A connection to the lab's dom0 for the lab CLI and the lab tests: one ssh2 connection, many
// channels, strict host-key check against the key made for this image. Commands are argv arrays
// quoted by the app's own quoting function.
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
const { Client } = ssh2;
type Client = InstanceType<typeof Client>;
import { commandLine } from '../../electron/transport/argv';
import { imagePaths } from './paths';
import { running, type LabState } from './vm';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class LabHost {
  private constructor(
    private readonly client: Client,
    readonly state: LabState,
  ) {}

  static async connect(opts: { attempts?: number; user?: string } = {}): Promise<LabHost> {
    const state = running();
    if (!state) throw new Error('The lab is not running: start it with `npm run lab -- up`.');
    const img = imagePaths();
    const expected = Buffer.from(readFileSync(img.hostKeyPub, 'utf8').trim().split(/\s+/)[1], 'base64');
    const attempts = opts.attempts ?? 5;
    let last: unknown;
    for (let i = 0; i < attempts; i++) {
      const client = new Client();
      try {
        await new Promise<void>((resolve, reject) => {
          client.once('ready', () => resolve());
          // ssh2 may emit more than one error for one failed attempt.
          client.on('error', reject);
          client.connect({
            host: '127.0.0.1',
            port: state.port,
            username: opts.user ?? 'root',
            privateKey: readFileSync(img.key),
            // Under emulation dom0 can be slow to answer the banner: be patient, then retry.
            readyTimeout: 60_000,
            keepaliveInterval: 10_000,
            keepaliveCountMax: 6,
            hostVerifier: (key: Buffer) => key.equals(expected),
          });
        });
        client.removeAllListeners('error');
        client.on('error', () => {});
        return new LabHost(client, state);
      } catch (err) {
        last = err;
        client.end();
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    throw new Error(`Cannot reach the lab over SSH: ${String(last)}`);
  }

  run(argv: readonly string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return this.exec(argv, opts.stdin, opts.timeoutMs);
  }

  /** Runs a command with `input` piped to its stdin (binary safe: files copied into dom0). */
  send(argv: readonly string[], input: NodeJS.ReadableStream, timeoutMs = 600_000): Promise<RunResult> {
    return this.exec(argv, input, timeoutMs);
  }

  private exec(argv: readonly string[], input: string | NodeJS.ReadableStream | undefined, timeoutMs: number | undefined): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(commandLine(argv), (err, ch) => {
        if (err) return reject(err);
        let stdout = '';
        let stderr = '';
        let code: number | null = null;
        const timer = timeoutMs
          ? setTimeout(() => {
              ch.close();
              reject(new Error(`Timed out after ${timeoutMs} ms: ${argv.join(' ')}`));
            }, timeoutMs)
          : undefined;
        ch.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
        ch.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        ch.on('exit', (c: number | null) => (code = c));
        ch.on('close', () => {
          if (timer) clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
        if (input === undefined || typeof input === 'string') {
          ch.end(input);
          return;
        }
        input.on('error', (e) => {
          if (timer) clearTimeout(timer);
          ch.close();
          reject(e);
        });
        input.pipe(ch);
      });
    });
  }

  /** A long-running command whose output the caller reads (stdout and stderr on the channel). */
  start(argv: readonly string[]): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(commandLine(argv), (err, ch) => (err ? reject(err) : resolve(ch)));
    });
  }

  /** Runs a command that must succeed; throws with its stderr otherwise. */
  async ok(argv: readonly string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.run(argv, opts);
    if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** A shell script run by bash on dom0, given on stdin (for multi-step test set-up only). */
  script(text: string, timeoutMs = 120_000): Promise<RunResult> {
    return this.run(['bash', '-s'], { stdin: text, timeoutMs });
  }

  pty(argv: readonly string[]): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(commandLine(argv), { pty: { term: 'xterm', cols: 200, rows: 50 } }, (err, ch) =>
        err ? reject(err) : resolve(ch),
      );
    });
  }

  forward(port: number): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (err, ch) => (err ? reject(err) : resolve(ch)));
    });
  }

  close(): void {
    this.client.end();
  }
}

// Commands through a few long-lived shells on the host instead of one SSH channel per command.
// Opening a session channel costs a round trip, a fork in sshd and a login shell (~95 ms on the
// emulated lab); writing one line to a shell that is already running costs a fork and an exec.
//
// Each worker is `sh` (base.stream), fed one framed line per command on its stdin:
//
//   printf '%s\n' B; printf '%s\n' B >&2; (eval 'CMD') </dev/null; s=$?;
//   printf '\n%s %03d\n' E "$s"; printf '\n%s\n' E >&2
//
// B and E are `__DOMUS_<24 random hex digits>_B/_E`, fresh for every command, and CMD is
// commandLine(argv), quoted once more (quoteArg) as the single argument of eval. Why it is safe:
// - stdout and stderr are separate streams, so each gets its own start and end marker; a command's
//   output is exactly what lies between them. Anything else on the streams (a profile script's
//   chatter, a leftover background process) is outside the markers and dropped.
// - The end marker is written after the subshell exited, preceded by a newline of its own that is
//   stripped again, so output without a trailing newline (or no output at all) round-trips exactly.
//   The exit status is always three digits ($? is 0..255), so the end is a fixed-length line.
// - Output cannot fake a marker: the markers are unpredictable and never used twice; text that
//   merely looks like one ("__DOMUS_…") is plain output. Markers are ASCII, so searching the raw
//   bytes never splits a UTF-8 character.
// - The command runs in a subshell with stdin from /dev/null: it reads EOF, never the protocol, and
//   `cd`, `exit 3`, `set -e`, assignments or traps end with the subshell. eval parses the command
//   line inside that subshell, so even a line the shell cannot parse (argv[0] = "if") fails the
//   command with status 2 instead of ending the worker.
// Output is collected as Buffers and decoded once per command (no character can straddle a chunk
// boundary then); markers are searched in each new chunk plus the few bytes before it.
import { randomBytes } from 'node:crypto';
import { DomusError } from '../api/errors';
import { commandLine, quoteArg } from './argv';
import type { CommandStream, ExecOptions, ExecResult, StreamOptions, Transport } from './types';

export interface ShellPoolOptions {
  /** Most shells kept running on the host (each holds one session channel). Default 3. */
  size?: number;
  /** The worker shell, run through base.stream. Default ['sh']. Must be a POSIX shell. */
  shell?: string[];
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** The first index of needle in carry+chunk, relative to chunk (negative: it starts in carry), or -1. */
function findAcross(carry: Buffer, chunk: Buffer, needle: Buffer): number {
  if (carry.length > 0) {
    // carry is shorter than needle, so a match here starts in carry: before any match in chunk.
    const edge = Buffer.concat([carry, chunk.subarray(0, needle.length - 1)]);
    const i = edge.indexOf(needle);
    if (i !== -1) return i - carry.length;
  }
  return chunk.indexOf(needle);
}

/** The last n bytes of carry+chunk, copied (so a big chunk is not kept alive by it). */
function lastBytes(carry: Buffer, chunk: Buffer, n: number): Buffer {
  if (n <= 0) return Buffer.alloc(0);
  if (chunk.length >= n) return Buffer.from(chunk.subarray(chunk.length - n));
  const joined = Buffer.concat([carry, chunk]);
  return Buffer.from(joined.subarray(Math.max(0, joined.length - n)));
}

/**
 * One command's output on one stream: skips to `start`, collects until `end`, then waits for
 * `trailerLength` more bytes (the exit status on stdout). Everything after that is dropped.
 */
class Frame {
  private phase: 'start' | 'body' | 'trailer' | 'done' = 'start';
  private carry: Buffer = Buffer.alloc(0);
  private chunks: Buffer[] = [];
  private length = 0;
  private trailerBytes: Buffer = Buffer.alloc(0);
  body: Buffer = Buffer.alloc(0);

  constructor(
    private readonly start: Buffer,
    private readonly end: Buffer,
    private readonly trailerLength: number,
  ) {}

  get complete(): boolean {
    return this.phase === 'done';
  }

  get trailer(): Buffer {
    return this.trailerBytes.subarray(0, this.trailerLength);
  }

  push(chunk: Buffer): void {
    switch (this.phase) {
      case 'start': {
        const i = findAcross(this.carry, chunk, this.start);
        if (i === -1) {
          this.carry = lastBytes(this.carry, chunk, this.start.length - 1);
          return;
        }
        this.phase = 'body';
        this.carry = Buffer.alloc(0);
        const rest = chunk.subarray(i + this.start.length);
        if (rest.length > 0) this.push(rest);
        return;
      }
      case 'body': {
        const i = findAcross(this.carry, chunk, this.end);
        this.chunks.push(chunk);
        this.length += chunk.length;
        if (i === -1) {
          this.carry = lastBytes(this.carry, chunk, this.end.length - 1);
          return;
        }
        // i counts from the start of this chunk; it may lie in the previous one (i < 0).
        const at = this.length - chunk.length + i;
        const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
        this.chunks = [];
        this.carry = Buffer.alloc(0);
        this.body = all.subarray(0, at);
        this.phase = 'trailer';
        this.addTrailer(all.subarray(at + this.end.length));
        return;
      }
      case 'trailer':
        this.addTrailer(chunk);
        return;
      case 'done':
        return;
    }
  }

  private addTrailer(bytes: Buffer): void {
    if (bytes.length > 0) this.trailerBytes = Buffer.concat([this.trailerBytes, bytes]);
    if (this.trailerBytes.length >= this.trailerLength) this.phase = 'done';
  }
}

interface Job {
  argv: readonly string[];
  opts: ExecOptions;
  resolve(r: ExecResult): void;
  reject(e: unknown): void;
  settled: boolean;
  worker: Worker | null;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
  /** Date.now() by which the caller wants an answer (from timeoutMs). */
  deadline?: number;
}

interface Framing {
  line: string;
  out: Frame;
  err: Frame;
}

function framing(cmd: string): Framing {
  const nonce = randomBytes(12).toString('hex');
  const begin = `__DOMUS_${nonce}_B`;
  const end = `__DOMUS_${nonce}_E`;
  const line =
    `printf '%s\\n' ${begin}; printf '%s\\n' ${begin} >&2; ` +
    `(eval ${quoteArg(cmd)}) </dev/null; s=$?; ` +
    `printf '\\n%s %03d\\n' ${end} "$s"; printf '\\n%s\\n' ${end} >&2\n`;
  return {
    line,
    // stdout: "\nE " then "ddd\n"; stderr: "\nE\n".
    out: new Frame(Buffer.from(`${begin}\n`), Buffer.from(`\n${end} `), 4),
    err: new Frame(Buffer.from(`${begin}\n`), Buffer.from(`\n${end}\n`), 0),
  };
}

class Worker {
  stream: CommandStream | null = null;
  /** 'starting': channel opening or first (empty) command running; 'idle'/'busy'; 'gone' for good. */
  state: 'starting' | 'idle' | 'busy' | 'gone' = 'starting';
  job: Job | null = null;
  frames: Framing | null = null;
}

export class ShellPool implements Transport {
  private readonly size: number;
  private readonly shell: string[];
  private readonly workers = new Set<Worker>();
  private readonly queue: Job[] = [];
  private closed = false;
  private fallback: string | null = null;

  constructor(
    private readonly base: Transport,
    opts: ShellPoolOptions = {},
  ) {
    this.size = Math.max(1, Math.floor(opts.size ?? 3));
    this.shell = opts.shell ?? ['sh'];
    if (this.shell.length === 0) throw new DomusError('invalid_input', 'The worker shell command is empty.');
  }

  /**
   * Why commands go straight to the base transport, or null while the pool is in use. Set when a
   * worker shell ended with an exit status before it ran anything (no `sh`, sudo wanting a password).
   */
  get fallbackReason(): string | null {
    return this.fallback;
  }

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.closed) {
      return Promise.reject(new DomusError('connection_lost', `Domus closed the connection, so ${argv[0] ?? 'the command'} could not run.`));
    }
    // A worker's stdin is the protocol: a command that needs stdin gets a channel of its own.
    if (opts.stdin !== undefined || this.fallback !== null) return this.base.exec(argv, opts);
    try {
      commandLine(argv);
    } catch (err) {
      return Promise.reject(new DomusError('invalid_input', (err as Error).message));
    }
    return new Promise<ExecResult>((resolve, reject) => {
      const { signal, timeoutMs } = opts;
      if (signal?.aborted) return reject(abortReason(signal));
      const job: Job = { argv, opts, resolve, reject, settled: false, worker: null };
      if (signal) {
        job.onAbort = () => this.stopJob(job, abortReason(signal));
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      if (timeoutMs !== undefined) {
        job.deadline = Date.now() + timeoutMs;
        job.timer = setTimeout(() => {
          this.stopJob(job, new DomusError('timeout', `${argv[0]} did not finish within ${Math.round(timeoutMs / 100) / 10} s.`, commandLine(argv)));
        }, timeoutMs);
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Long-lived streams and ptys keep channels of their own. */
  stream(argv: readonly string[], opts?: StreamOptions): Promise<CommandStream> {
    return this.base.stream(argv, opts);
  }

  /** Ends every worker shell; running and queued commands fail with connection_lost. Does not close base. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, this.lostError(job.argv, 'Domus closed the connection.'));
    for (const w of [...this.workers]) {
      if (w.job) this.settle(w.job, this.lostError(w.job.argv, 'Domus closed the connection.'));
      this.retire(w);
    }
  }

  private lostError(argv: readonly string[], detail: string): DomusError {
    return new DomusError('connection_lost', `The connection to the host was lost while running ${commandLine(argv)}.`, detail);
  }

  private settle(job: Job, err: unknown, result?: ExecResult): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (job.onAbort) job.opts.signal?.removeEventListener('abort', job.onAbort);
    if (err !== null && err !== undefined) job.reject(err);
    else job.resolve(result!);
  }

  /** Timeout or abort: a queued job just leaves; a running one takes its worker with it. */
  private stopJob(job: Job, err: unknown): void {
    if (job.settled) return;
    const i = this.queue.indexOf(job);
    if (i !== -1) this.queue.splice(i, 1);
    const w = job.worker;
    this.settle(job, err);
    // The command may still be running in that shell: never hand it another one.
    if (w) this.retire(w);
    this.dispatch();
  }

  private retire(w: Worker): void {
    w.state = 'gone';
    w.job = null;
    w.frames = null;
    this.workers.delete(w);
    w.stream?.close();
  }

  private dispatch(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      const idle = [...this.workers].find((w) => w.state === 'idle');
      if (idle) {
        this.run(idle, this.queue.shift()!);
        continue;
      }
      const starting = [...this.workers].filter((w) => w.state === 'starting').length;
      // Start workers only for jobs that no starting worker will take.
      if (this.workers.size < this.size && starting < this.queue.length) {
        this.startWorker();
        continue;
      }
      return;
    }
  }

  private startWorker(): void {
    const w = new Worker();
    this.workers.add(w);
    // (A transport that throws instead of rejecting still ends up in the error branch.)
    Promise.resolve().then(() => this.base.stream(this.shell)).then(
      (stream) => {
        if (w.state === 'gone') {
          stream.close();
          return;
        }
        w.stream = stream;
        this.attach(w, stream);
        // An empty command first: a worker takes real commands only once its shell has been
        // seen answering, so a shell that cannot start never swallows one.
        w.frames = framing(':');
        stream.stdin.write(w.frames.line);
      },
      (err) => {
        if (w.state === 'gone') return;
        w.state = 'gone';
        this.workers.delete(w);
        // The connection is gone (or the host refused a channel): the oldest waiting command
        // gets that error; the others try again with workers of their own.
        const job = this.queue.shift();
        if (job) this.settle(job, err);
        this.dispatch();
      },
    );
  }

  private attach(w: Worker, stream: CommandStream): void {
    const ignore = () => {};
    stream.stdin.on('error', ignore);
    stream.stdout.on('error', ignore);
    stream.stderr.on('error', ignore);
    stream.stdout.on('data', (d: Buffer) => {
      if (w.frames) {
        w.frames.out.push(d);
        this.check(w);
      }
    });
    stream.stderr.on('data', (d: Buffer) => {
      if (w.frames) {
        w.frames.err.push(d);
        this.check(w);
      }
    });
    stream.done.then((exit) => {
      // Let output that came with the close be read first.
      setImmediate(() => this.ended(w, exit));
    });
  }

  private run(w: Worker, job: Job): void {
    w.state = 'busy';
    w.job = job;
    job.worker = w;
    w.frames = framing(commandLine(job.argv));
    w.stream!.stdin.write(w.frames.line);
  }

  private check(w: Worker): void {
    const f = w.frames;
    if (!f || !f.out.complete || !f.err.complete) return;
    w.frames = null;
    const status = /^(\d{3})\n$/.exec(f.out.trailer.toString('latin1'));
    if (w.state === 'starting') {
      w.state = 'idle';
      this.dispatch();
      return;
    }
    const job = w.job!;
    w.job = null;
    job.worker = null;
    if (!status) {
      this.settle(job, new DomusError('internal', `Domus could not read the result of ${job.argv[0]} from the host's shell.`, f.out.trailer.toString('latin1')));
      this.retire(w);
    } else {
      this.settle(job, null, { code: Number(status[1]), stdout: f.out.body.toString('utf8'), stderr: f.err.body.toString('utf8') });
      w.state = 'idle';
    }
    this.dispatch();
  }

  private ended(w: Worker, exit: { code: number | null; signal?: string }): void {
    if (w.state === 'gone') return;
    const wasStarting = w.state === 'starting';
    const job = w.job;
    w.state = 'gone';
    w.job = null;
    w.frames = null;
    this.workers.delete(w);
    const how =
      exit.code !== null ? `The host's shell ended with exit status ${exit.code}.`
      : exit.signal ? `The host's shell was killed by ${exit.signal}.`
      : 'The channel closed without an exit status.';
    if (job) this.settle(job, this.lostError(job.argv, how));
    if (wasStarting && !this.closed) {
      // Nothing was sent to this shell yet. A shell that exited with a status will not start next
      // time either: run commands on channels of their own from now on.
      if (exit.code !== null) {
        this.fallback = how;
        for (const q of this.queue.splice(0)) this.delegate(q);
        return;
      }
      // Killed, or the link dropped: the oldest waiting command runs on its own channel, which
      // either works or fails with the connection's own error.
      const q = this.queue.shift();
      if (q) this.delegate(q);
    }
    this.dispatch();
  }

  /** Hands a queued job to the base transport with what is left of its time. */
  private delegate(job: Job): void {
    if (job.settled) return;
    clearTimeout(job.timer);
    job.timer = undefined;
    if (job.onAbort) job.opts.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = undefined;
    const opts: ExecOptions = { ...job.opts };
    if (job.deadline !== undefined) opts.timeoutMs = Math.max(1, job.deadline - Date.now());
    this.base.exec(job.argv, opts).then(
      (r) => this.settle(job, null, r),
      (e) => this.settle(job, e),
    );
  }
}

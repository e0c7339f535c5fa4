// The backend's byte streams (text consoles, VNC tunnels): one mechanism for both adapters.
// A stream is created by an API call ('console.open'), which returns its id and a one-time
// token. The renderer then attaches to it over its adapter's stream path (a WebSocket at
// /stream in browser mode, a MessagePort in Electron) presenting that token; the token is spent
// on the first attach. Bytes to the renderer go through FlowControl (watermarks and
// acknowledgements); bytes from the renderer go straight to the source. When the renderer goes
// away, the stream ends and so does its channel on the host.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DomusError } from '../api/errors';
import type { StreamEndReason, StreamServerControl } from '../api/wire';
import { DEFAULT_FLOW, FlowControl, type FlowOptions } from './flow';

export interface StreamEnd {
  reason: StreamEndReason;
  message: string;
}

/** What feeds a stream: an SSH channel running `xl console`, a forwarded TCP connection… */
export interface ByteSource {
  /** Called once; the source reports its bytes and its end through `out`. */
  start(out: { data(chunk: Buffer): void; end(end: StreamEnd): void }): void;
  write(data: Buffer): void;
  pause(): void;
  resume(): void;
  resize?(cols: number, rows: number): void;
  /** Ends the source on the host (closes the channel). Idempotent. */
  close(): void;
}

/** The adapter's side of an attached stream. */
export interface StreamSink {
  data(frame: Buffer): void;
  control(msg: StreamServerControl): void;
  /** The stream is over; the adapter closes its socket / port. */
  close(): void;
}

/** What the adapter calls with what the renderer sent. */
export interface StreamPeer {
  input(data: Buffer): void;
  /** False when the acknowledgement is impossible; the adapter then drops the stream. */
  ack(bytes: number): boolean;
  resize(cols: number, rows: number): void;
  /** The renderer went away or asked to close. */
  detach(): void;
}

export interface StreamInfo {
  id: string;
  token: string;
}

export interface StreamStats {
  high: number;
  low: number;
  maxUnacked: number;
  maxQueued: number;
  acked: number;
  unacked: number;
  attached: boolean;
}

/** An attach must come within this time after the stream was opened. */
const ATTACH_TIMEOUT_MS = 30_000;
/** Largest input frame the renderer may send (a paste is split by the client). */
export const MAX_INPUT_FRAME = 64 * 1024;

class Stream {
  readonly flow: FlowControl;
  sink: StreamSink | null = null;
  tokenSpent = false;
  ended: StreamEnd | null = null;
  private endSent = false;
  attachTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    readonly token: string,
    readonly source: ByteSource,
    flow: FlowOptions,
    private readonly onGone: () => void,
  ) {
    this.flow = new FlowControl(
      {
        send: (frame) => this.sink?.data(frame),
        pause: () => source.pause(),
        resume: () => source.resume(),
      },
      flow,
    );
  }

  start(): void {
    this.source.start({
      data: (chunk) => {
        if (!this.ended) this.flow.push(chunk);
      },
      end: (end) => {
        if (this.ended) return;
        this.ended = end;
        this.maybeSendEnd();
      },
    });
  }

  /** The end goes out after every byte before it has been handed over. */
  maybeSendEnd(): void {
    if (!this.ended || this.endSent || !this.sink || !this.flow.drained) return;
    this.endSent = true;
    this.sink.control({ t: 'end', reason: this.ended.reason, message: this.ended.message });
    this.finish();
  }

  finish(): void {
    if (this.attachTimer) clearTimeout(this.attachTimer);
    this.attachTimer = null;
    this.source.close();
    const sink = this.sink;
    this.sink = null;
    sink?.close();
    this.onGone();
  }
}

export class StreamRegistry {
  private readonly streams = new Map<string, Stream>();
  /** Kept after a stream ends so tests can check its watermarks. */
  private readonly finished = new Map<string, StreamStats>();

  constructor(private readonly flow: FlowOptions = DEFAULT_FLOW) {}

  /** Registers a source; nothing flows until a renderer attaches with the token. */
  create(source: ByteSource, opts: { attachTimeoutMs?: number } = {}): StreamInfo {
    const id = randomBytes(16).toString('hex');
    const token = randomBytes(32).toString('base64url');
    const stream = new Stream(id, token, source, this.flow, () => this.forget(id));
    this.streams.set(id, stream);
    stream.attachTimer = setTimeout(() => {
      if (!stream.sink) stream.finish();
    }, opts.attachTimeoutMs ?? ATTACH_TIMEOUT_MS);
    stream.attachTimer.unref?.();
    stream.start();
    return { id, token };
  }

  /** Whether id + token would be accepted now (the adapter checks before upgrading a socket). */
  canAttach(id: string, token: string): boolean {
    const s = this.streams.get(id);
    return !!s && !s.tokenSpent && sameSecret(s.token, token);
  }

  /** Spends the token and connects the renderer's side. */
  attach(id: string, token: string, sink: StreamSink): StreamPeer {
    const s = this.streams.get(id);
    if (!s || s.tokenSpent || !sameSecret(s.token, token)) {
      throw new DomusError('permission_denied', 'That console stream does not exist or is already in use.');
    }
    s.tokenSpent = true;
    if (s.attachTimer) clearTimeout(s.attachTimer);
    s.attachTimer = null;
    s.sink = sink;
    sink.control({ t: 'open' });
    s.flow.attach();
    s.maybeSendEnd();
    return {
      input: (data) => {
        if (!s.ended && data.length > 0) s.source.write(data);
      },
      ack: (bytes) => {
        if (!s.flow.ack(bytes)) return false;
        s.maybeSendEnd();
        return true;
      },
      resize: (cols, rows) => s.source.resize?.(cols, rows),
      detach: () => {
        if (this.streams.get(id) === s) s.finish();
      },
    };
  }

  /** Ends a stream from the backend's side (console.close, host removed). */
  close(id: string): boolean {
    const s = this.streams.get(id);
    if (!s) return false;
    if (s.sink && !s.ended) s.sink.control({ t: 'end', reason: 'closed', message: 'The console was closed.' });
    s.finish();
    return true;
  }

  closeAll(): void {
    for (const id of [...this.streams.keys()]) this.close(id);
  }

  stats(id: string): StreamStats | undefined {
    const s = this.streams.get(id);
    return s ? statsOf(s) : this.finished.get(id);
  }

  /** Every open stream's figures (tests check the watermarks through this). */
  allStats(): StreamStats[] {
    return [...this.streams.values()].map(statsOf);
  }

  get size(): number {
    return this.streams.size;
  }

  private forget(id: string): void {
    const s = this.streams.get(id);
    if (!s) return;
    this.streams.delete(id);
    this.finished.set(id, statsOf(s));
    // Keep a bounded history.
    if (this.finished.size > 100) this.finished.delete(this.finished.keys().next().value!);
  }
}

function statsOf(s: Stream): StreamStats {
  const f = s.flow;
  return {
    high: f.opts.high,
    low: f.opts.low,
    maxUnacked: f.maxUnacked,
    maxQueued: f.maxQueued,
    acked: f.acked,
    unacked: f.unacked,
    attached: !!s.sink,
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

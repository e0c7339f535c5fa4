// Flow control of one byte stream from a host to the renderer. Bytes wait in `queued` until the
// renderer has room: at most `high` bytes are ever sent and not yet acknowledged (the renderer
// acknowledges after xterm.js / noVNC has consumed them). The source (an SSH channel) is paused
// while queued + unacknowledged bytes reach the high watermark and resumed once they fall to the
// low one, so a flooding guest is held back by SSH's own window instead of growing our memory.
// Bytes leave in the order they came, each exactly once.

export interface FlowOptions {
  /** Most bytes sent and not yet acknowledged. */
  high: number;
  /** The source is resumed when queued + unacknowledged bytes fall to this. */
  low: number;
  /** Largest single frame handed to the sink. */
  maxFrame: number;
}

export const DEFAULT_FLOW: FlowOptions = { high: 1024 * 1024, low: 256 * 1024, maxFrame: 64 * 1024 };

export interface FlowHooks {
  send(frame: Buffer): void;
  pause(): void;
  resume(): void;
}

export class FlowControl {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private unackedBytes = 0;
  private paused = false;
  private attached = false;
  private pumping = false;
  /** Highest unacknowledged count seen, for tests and diagnostics. */
  maxUnacked = 0;
  /** Highest queued count seen. */
  maxQueued = 0;
  /** Bytes acknowledged so far. */
  acked = 0;

  constructor(
    private readonly hooks: FlowHooks,
    readonly opts: FlowOptions = DEFAULT_FLOW,
  ) {
    if (!(opts.low >= 0 && opts.low < opts.high && opts.maxFrame > 0)) {
      throw new RangeError('Flow control wants 0 <= low < high and maxFrame > 0.');
    }
  }

  get unacked(): number {
    return this.unackedBytes;
  }

  /** A sink is there: start sending what waited. */
  attach(): void {
    this.attached = true;
    this.pump();
  }

  /** Bytes from the source. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    this.maxQueued = Math.max(this.maxQueued, this.queuedBytes);
    this.pump();
  }

  /**
   * The renderer consumed `bytes` more bytes. Returns false (and changes nothing) when that is
   * more than was sent, which only a broken or hostile client does.
   */
  ack(bytes: number): boolean {
    if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes > this.unackedBytes) return false;
    this.unackedBytes -= bytes;
    this.acked += bytes;
    this.pump();
    return true;
  }

  /** True when everything from the source has been handed to the sink. */
  get drained(): boolean {
    return this.queuedBytes === 0;
  }

  private pump(): void {
    // A sink that acknowledges synchronously would re-enter here; the running loop sees its ack.
    if (this.pumping) return;
    this.pumping = true;
    try {
      this.sendWhatFits();
    } finally {
      this.pumping = false;
    }
    const held = this.queuedBytes + this.unackedBytes;
    if (!this.paused && held >= this.opts.high) {
      this.paused = true;
      this.hooks.pause();
    } else if (this.paused && held <= this.opts.low) {
      this.paused = false;
      this.hooks.resume();
    }
  }

  private sendWhatFits(): void {
    while (this.attached && this.queue.length > 0 && this.unackedBytes < this.opts.high) {
      const room = Math.min(this.opts.high - this.unackedBytes, this.opts.maxFrame);
      const head = this.queue[0]!;
      let frame: Buffer;
      if (head.length <= room) {
        frame = head;
        this.queue.shift();
      } else {
        frame = head.subarray(0, room);
        this.queue[0] = head.subarray(room);
      }
      this.queuedBytes -= frame.length;
      this.unackedBytes += frame.length;
      this.maxUnacked = Math.max(this.maxUnacked, this.unackedBytes);
      this.hooks.send(frame);
    }
  }
}

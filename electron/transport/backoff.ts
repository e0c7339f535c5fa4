// Reconnect pacing: exponential growth so a host that is down is not hammered, a cap so a host
// that comes back is noticed within a bounded time, and jitter so many Domus windows that lost the
// same host at the same moment do not all knock again in lockstep.

export interface BackoffOptions {
  /** First delay, in milliseconds. */
  initialMs?: number;
  /** No delay is ever longer than this. */
  maxMs?: number;
  /** Growth per attempt. */
  factor?: number;
  /** Fraction of the delay that is randomised away (0 = none, 1 = anywhere in [0, delay]). */
  jitter?: number;
  /** Source of randomness in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private attempts = 0;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 1_000;
    this.maxMs = opts.maxMs ?? 60_000;
    this.factor = opts.factor ?? 2;
    this.jitter = opts.jitter ?? 0.3;
    this.random = opts.random ?? Math.random;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs) || !(this.factor >= 1)) {
      throw new RangeError('Backoff needs 0 < initialMs <= maxMs and factor >= 1.');
    }
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError('Backoff jitter must be within [0, 1].');
  }

  /** How many delays have been handed out since the last reset. */
  get attempt(): number {
    return this.attempts;
  }

  /** The delay to wait before the next attempt. */
  next(): number {
    // Math.min before the power keeps huge attempt counts from overflowing to Infinity.
    const exp = Math.min(this.attempts, 64);
    const base = Math.min(this.maxMs, this.initialMs * Math.pow(this.factor, exp));
    this.attempts++;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  /** Call once a connection has been healthy, so the next loss starts from a short delay again. */
  reset(): void {
    this.attempts = 0;
  }
}

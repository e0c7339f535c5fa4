// What a driver needs from "a way to run commands on a host". SSH and local child processes both
// provide it; drivers never know which one they have.
import type { Readable, Writable } from 'node:stream';

export interface ExecResult {
  /** Exit code, or null when the command died by a signal or the channel closed without one. */
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Bytes written to the command's stdin, then stdin is closed. */
  stdin?: string | Buffer;
  /** Abort the command (closes the channel / kills the child). */
  signal?: AbortSignal;
  /** Milliseconds before the command is abandoned with a timeout error. */
  timeoutMs?: number;
}

/** A long-lived command whose output is read as it comes (xentop -b, xenstore-watch, consoles). */
export interface CommandStream {
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly stdin: Writable;
  /** Resolves when the command ends, with its exit code (null when killed or the link dropped). */
  readonly done: Promise<{ code: number | null; signal?: string }>;
  /** Ends the command on the host (closes the channel / kills the child). */
  close(): void;
  /** Only for streams opened with a pty. */
  resize?(cols: number, rows: number): void;
}

export interface StreamOptions {
  pty?: { cols: number; rows: number; term?: string };
}

export interface Transport {
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  stream(argv: readonly string[], opts?: StreamOptions): Promise<CommandStream>;
}

// Commands on this computer, for when Domus runs on dom0 itself. The argv goes straight to the
// program (no shell), so no quoting is involved and nothing in an argument is ever interpreted;
// only a command on a terminal (ptyArgv) passes through a shell, quoted as for an SSH channel.
import { spawn, type ChildProcess } from 'node:child_process';
import { DomusError } from '../api/errors';
import { commandLine } from './argv';
import { remoteArgv } from './ssh';
import type { CommandStream, ExecOptions, ExecResult, StreamOptions, Transport } from './types';

export interface LocalOptions {
  /** Prefix every command with `sudo -n --` (Domus itself not running as root). */
  sudo?: boolean;
  /** Grace between SIGTERM and SIGKILL when a command is stopped. */
  killGraceMs?: number;
}

function spawnError(argv: readonly string[], err: NodeJS.ErrnoException): DomusError {
  if (err.code === 'ENOENT') return new DomusError('not_found', `${argv[0]} is not installed on this computer.`, err.message);
  if (err.code === 'EACCES') return new DomusError('permission_denied', `Domus is not allowed to run ${argv[0]}.`, err.message);
  return new DomusError('command_failed', `${argv[0]} could not be started.`, err.message);
}

function signalExit(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal?: string } {
  return signal ? { code: null, signal } : { code };
}

export class LocalTransport implements Transport {
  constructor(private readonly opts: LocalOptions = {}) {}

  private start(argv: readonly string[], pty?: StreamOptions['pty']): ChildProcess {
    const full = pty ? ptyArgv(remoteArgv(argv, this.opts.sudo ?? false), pty) : remoteArgv(argv, this.opts.sudo ?? false);
    // Its own process group, so stopping it reaches the jobs a script started too (and a script's
    // `kill 0` never reaches Domus).
    return spawn(full[0], full.slice(1), {
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      // script(1) runs its command with $SHELL -c: the line is quoted for a POSIX shell.
      ...(pty ? { env: { ...process.env, SHELL: '/bin/sh', TERM: pty.term ?? 'xterm-256color' } } : {}),
    });
  }

  private stop(child: ChildProcess): void {
    child.stdin?.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, 'SIGTERM');
    // A command that ignores SIGTERM must still go away, or Domus would leak it.
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGKILL');
    }, this.opts.killGraceMs ?? 2_000).unref();
  }

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const { signal, timeoutMs } = opts;
      if (signal?.aborted) return reject(signal.reason);
      let child: ChildProcess;
      try {
        child = this.start(argv);
      } catch (err) {
        return reject(err instanceof DomusError ? err : spawnError(argv, err as NodeJS.ErrnoException));
      }
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const onAbort = () => {
        this.stop(child);
        finish(signal!.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
      };
      const finish = (e: unknown, result?: ExecResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve(result!);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.stop(child);
          finish(new DomusError('timeout', `${argv[0]} did not finish within ${Math.round(timeoutMs / 100) / 10} s.`, argv.join(' ')));
        }, timeoutMs);
      }
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      child.stderr!.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e) => finish(spawnError([child.spawnfile], e)));
      // 'close' (not 'exit') waits for stdout/stderr to drain, so no output is lost.
      child.on('close', (code, sig) =>
        finish(null, { ...signalExit(code, sig), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      );
      // A command that does not read stdin must not get EPIPE as an error.
      child.stdin!.on('error', () => {});
      child.stdin!.end(opts.stdin);
    });
  }

  async stream(argv: readonly string[], opts: StreamOptions = {}): Promise<CommandStream> {
    const child = this.start(argv, opts.pty);
    // Wait for spawn or error so a missing program is a rejected promise, not a dead stream.
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (e) => reject(spawnError([child.spawnfile], e)));
    });
    const done = new Promise<{ code: number | null; signal?: string }>((resolve) => {
      child.on('close', (code, sig) => resolve(signalExit(code, sig)));
    });
    child.stdin!.on('error', () => {});
    return {
      stdout: child.stdout!,
      stderr: child.stderr!,
      stdin: child.stdin!,
      done,
      close: () => this.stop(child),
    };
  }
}

/**
 * A command on a terminal of its own, as an SSH pty channel gives it: `xl console` puts the guest's
 * console in raw mode only when its stdin is a terminal, and without that the console's line
 * discipline echoes and rewrites what passes. Node has no pty of its own; util-linux's script(1)
 * (in Debian's essential bsdutils) makes one and relays bytes both ways. It runs the line with
 * `sh -c`, so the argv becomes one line through the one quoting function, exactly as on an SSH
 * channel; script ends its command when it is stopped and exits with the command's status. The
 * size is set once: `xl console` passes nothing about it to the guest. setpriv and script are
 * util-linux (essential on Debian).
 */
export function ptyArgv(argv: readonly string[], pty: { cols: number; rows: number }): string[] {
  const size = commandLine(['stty', 'cols', String(pty.cols), 'rows', String(pty.rows)]);
  // script(1) does not end when its stdin closes: if Domus itself dies (killed, crashed), the
  // kernel sends script SIGTERM (setpriv --pdeathsig), which script passes to the console. script
  // runs as Domus's own user, so this holds under sudo as well.
  return ['setpriv', '--pdeathsig', 'TERM', '--', 'script', '--quiet', '--flush', '--return', '--command', `${size} && exec ${commandLine(argv)}`, '/dev/null'];
}

function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, sig);
  } catch {
    child.kill(sig);
  }
}

// xl consoles: the argv of `xl console`, the VNC port from xenstore, SysRq and Ctrl-Alt-Del, and
// the ByteSources that feed Domus's stream registry from an SSH channel or a forwarded port.
import type { Duplex } from 'node:stream';
import { DomusError } from '../../api/errors';
import type { ConsoleOverflow, TextConsoleType } from '../../api/consoles';
import type { ByteSource, StreamEnd } from '../../streams/registry';
import type { CommandStream, Transport } from '../../transport/types';
import { parseXlListLong } from './parse';

/** xenconsole's escape character (Ctrl-]): a read of just this byte detaches `xl console`. */
const XL_CONSOLE_ESCAPE = 0x1d;

export function consoleArgv(guest: string, type: TextConsoleType): string[] {
  return ['xl', 'console', '-t', type, '--', guest];
}

export function sysrqArgv(guest: string, key: string): string[] {
  return ['xl', 'sysrq', '--', guest, key];
}

/** QEMU's human monitor `sendkey`, as `xl qemu-monitor-command` passes it on. */
export function ctrlAltDelArgv(guest: string): string[] {
  return ['xl', 'qemu-monitor-command', '--', guest, 'sendkey ctrl-alt-delete'];
}

function vncPortPath(domid: number): string {
  return `/local/domain/${domid}/console/vnc-port`;
}

export async function vncPort(transport: Transport, domid: number): Promise<number> {
  const r = await transport.exec(['xenstore-read', vncPortPath(domid)]);
  const port = Number(r.stdout.trim());
  if (r.code !== 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new DomusError('not_found', 'This guest has no graphical console (no VNC port in xenstore).', r.stderr.trim() || r.stdout.trim());
  }
  return port;
}

/** HVM guests talk on the emulated serial port; PV and PVH guests on the PV console. */
export function textTypeFor(domainType: 'pv' | 'pvh' | 'hvm' | null | undefined): TextConsoleType {
  return domainType === 'hvm' ? 'serial' : 'pv';
}

/** The text console a running guest has, from its type in `xl list -l` (PV console when unknown). */
export async function detectTextType(transport: Transport, guest: string): Promise<TextConsoleType> {
  const r = await transport.exec(['xl', 'list', '-l', '--', guest]);
  if (r.code !== 0) return 'pv';
  try {
    return textTypeFor(parseXlListLong(r.stdout)[0]?.type);
  } catch {
    return 'pv';
  }
}

/*
 * xenconsoled's overflow mode (api/consoles.ts ConsoleOverflow): by default (`discard`) it drops
 * the middle of what it holds once more than the domain's console `limit` (libxl: 1 MiB) is
 * waiting; with `--overflow-data=keep` it stops reading the guest's ring instead, so the guest
 * waits and nothing is lost. `unknown`: no xenconsoled seen (not an xl host, or ps shows nothing).
 */
export const XENCONSOLED_ARGS_ARGV = ['ps', '-C', 'xenconsoled', '-o', 'args='];

/** Reads xenconsoled's command line (XENCONSOLED_ARGS_ARGV's output). */
export function parseXenconsoledOverflow(psOutput: string): ConsoleOverflow {
  const line = psOutput.split('\n').find((l) => /\bxenconsoled\b/.test(l));
  if (!line) return 'unknown';
  const args = line.trim().split(/\s+/);
  let mode = 'discard';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--overflow-data=(.*)$/.exec(a);
    if (m) mode = m[1]!;
    else if ((a === '--overflow-data' || a === '-o') && i + 1 < args.length) mode = args[++i]!;
    else if (/^-o./.test(a)) mode = a.slice(2);
  }
  return mode === 'keep' ? 'keep' : 'discard';
}

/** Drops the escape byte so nothing the user types or pastes can detach the console. */
export function withoutEscape(data: Buffer): Buffer {
  if (!data.includes(XL_CONSOLE_ESCAPE)) return data;
  return Buffer.from(data.filter((b) => b !== XL_CONSOLE_ESCAPE));
}

/**
 * xenconsole takes a lock per domain: a second `xl console` (another Domus window, a shell on
 * the host) fails at once with this line.
 */
const CONSOLE_LOCKED = /^xenconsole: Could not lock \S+: Resource temporarily unavailable/;
const LOCK_PREFIX = 'xenconsole:';

/** `xl console` on a pty channel as a stream source. */
export function textConsoleSource(cmd: CommandStream, guest = 'the guest'): ByteSource {
  let closed = false;
  // The first bytes are held back until they show whether the console was free: the lock error
  // becomes the end message instead of terminal text.
  let head: Buffer | null = Buffer.alloc(0);
  let locked = false;
  return {
    start(out) {
      const onData = (d: Buffer) => {
        if (head === null) return out.data(d);
        head = Buffer.concat([head, d]);
        const text = head.toString('latin1');
        // Held only while it may still be xenconsole's own complaint (it starts the output).
        if (LOCK_PREFIX.startsWith(text)) return;
        if (text.startsWith(LOCK_PREFIX) && !text.includes('\n') && text.length < 400) return;
        const h = head;
        head = null;
        if (CONSOLE_LOCKED.test(text)) locked = true;
        else out.data(h);
      };
      cmd.stdout.on('data', onData);
      cmd.stderr.on('data', onData);
      const stdoutEnded = new Promise<void>((resolve) => {
        cmd.stdout.once('end', resolve);
        cmd.stdout.once('close', resolve);
      });
      void cmd.done.then(async (exit) => {
        const lost = exit.code === null && !closed;
        if (!lost) await stdoutEnded; // every byte xl console printed comes before the end
        if (head && head.length > 0) {
          if (CONSOLE_LOCKED.test(head.toString('latin1'))) locked = true;
          else out.data(head);
        }
        head = null;
        let end: StreamEnd;
        if (locked) {
          end = { reason: 'error', message: `The console of ${guest} is open elsewhere (another Domus window, or xl console on the host); only one reader at a time is possible.` };
        } else if (lost) {
          end = { reason: 'connection_lost', message: 'The connection to the host was lost.' };
        } else {
          end = { reason: 'exited', message: `xl console ended (exit code ${exit.code ?? exit.signal ?? '?'}).` };
        }
        out.end(end);
      });
    },
    write(data) {
      const clean = withoutEscape(data);
      if (clean.length > 0 && !closed) cmd.stdin.write(clean);
    },
    pause: () => cmd.stdout.pause(),
    resume: () => cmd.stdout.resume(),
    resize: (cols, rows) => cmd.resize?.(cols, rows),
    close() {
      if (closed) return;
      closed = true;
      cmd.close();
    },
  };
}

/** A TCP connection to a VNC server (through SSH forwardOut) as a stream source. */
export function vncSource(sock: Duplex): ByteSource {
  let closed = false;
  return {
    start(out) {
      sock.on('data', (d: Buffer) => out.data(d));
      sock.on('error', (err: Error) => out.end({ reason: 'error', message: err.message }));
      sock.on('end', () => out.end({ reason: 'exited', message: 'The VNC server closed the connection.' }));
      sock.on('close', () => out.end({ reason: 'exited', message: 'The VNC server closed the connection.' }));
    },
    write(data) {
      if (!closed) sock.write(data);
    },
    pause: () => sock.pause(),
    resume: () => sock.resume(),
    close() {
      if (closed) return;
      closed = true;
      sock.destroy();
    },
  };
}

// xl consoles: the argv of `xl console`, the VNC port from xenstore, SysRq and Ctrl-Alt-Del, and
// the ByteSources that feed Domus's stream registry from an SSH channel or a forwarded port.
import type { Duplex } from 'node:stream';
import { DomusError } from '../../api/errors';
import type { TextConsoleType } from '../../api/consoles';
import type { ByteSource, StreamEnd } from '../../streams/registry';
import type { CommandStream, Transport } from '../../transport/types';
import { parseXlError } from './parse';

/** xenconsole's escape character (Ctrl-]): a read of just this byte detaches `xl console`. */
export const XL_CONSOLE_ESCAPE = 0x1d;

export function consoleArgv(guest: string, type: TextConsoleType): string[] {
  return ['xl', 'console', '-t', type, guest];
}

export function sysrqArgv(guest: string, key: string): string[] {
  return ['xl', 'sysrq', guest, key];
}

/** QEMU's human monitor `sendkey`, as `xl qemu-monitor-command` passes it on. */
export function ctrlAltDelArgv(guest: string): string[] {
  return ['xl', 'qemu-monitor-command', guest, 'sendkey ctrl-alt-delete'];
}

export function vncPortPath(domid: number): string {
  return `/local/domain/${domid}/console/vnc-port`;
}

/** The domid of a running guest, or a clear error when it is not running. */
export async function domidOf(transport: Transport, guest: string): Promise<number> {
  const r = await transport.exec(['xl', 'domid', guest]);
  const domid = Number(r.stdout.trim());
  if (r.code !== 0 || !/^\d+$/.test(r.stdout.trim())) {
    throw new DomusError('not_found', `The guest ${guest} is not running, so it has no console.`, parseXlError(r.stderr).summary);
  }
  return domid;
}

export async function vncPort(transport: Transport, domid: number): Promise<number> {
  const r = await transport.exec(['xenstore-read', vncPortPath(domid)]);
  const port = Number(r.stdout.trim());
  if (r.code !== 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new DomusError('not_found', 'This guest has no graphical console (no VNC port in xenstore).', r.stderr.trim() || r.stdout.trim());
  }
  return port;
}

/** Drops the escape byte so nothing the user types or pastes can detach the console. */
export function withoutEscape(data: Buffer): Buffer {
  if (!data.includes(XL_CONSOLE_ESCAPE)) return data;
  return Buffer.from(data.filter((b) => b !== XL_CONSOLE_ESCAPE));
}

/** `xl console` on a pty channel as a stream source. */
export function textConsoleSource(cmd: CommandStream): ByteSource {
  let closed = false;
  return {
    start(out) {
      cmd.stdout.on('data', (d: Buffer) => out.data(d));
      cmd.stderr.on('data', (d: Buffer) => out.data(d));
      const stdoutEnded = new Promise<void>((resolve) => {
        cmd.stdout.once('end', resolve);
        cmd.stdout.once('close', resolve);
      });
      void cmd.done.then(async (exit) => {
        let end: StreamEnd;
        if (exit.code === null && !closed) {
          end = { reason: 'connection_lost', message: 'The connection to the host was lost.' };
        } else {
          await stdoutEnded; // every byte xl console printed comes before the end
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

// Consoles: open a guest's text console or VNC tunnel as a byte stream, close it, send SysRq and
// Ctrl-Alt-Del. The bytes themselves travel on the adapters' stream path (electron/streams).
import { DomusError } from '../../api/errors';
import type { ConsoleOpened } from '../../api/consoles';
import {
  consoleArgv,
  ctrlAltDelArgv,
  detectTextType,
  parseXenconsoledOverflow,
  sysrqArgv,
  textConsoleSource,
  textTypeFor,
  vncPort,
  vncSource,
  XENCONSOLED_ARGS_ARGV,
} from '../../drivers/xl/console';
import { parseXlError } from '../../drivers/xl/parse';
import type { StreamRegistry } from '../../streams/registry';
import { taskMeta, transportOf, type BackendContext, type Handlers } from '../context';

export function consoleHandlers(
  ctx: BackendContext,
  streams: StreamRegistry,
): Handlers<'console.open' | 'console.close' | 'console.hostCheck' | 'console.sysrq' | 'console.ctrlAltDel'> {
  return {
    async 'console.open'({ hostId, guest, kind, textType, cols, rows }) {
      const { host, transport } = transportOf(ctx, hostId);
      const inv = host.guests().find((g) => g.name === guest);
      if (!inv || inv.domid === null) {
        throw new DomusError('not_found', `The guest ${guest} is not running, so it has no console.`);
      }
      const domid = inv.domid;
      if (kind === 'text') {
        const type = textType ?? (inv.type ? textTypeFor(inv.type) : await detectTextType(transport, guest));
        const cmd = await transport.stream(consoleArgv(guest, type), {
          pty: { cols: cols ?? 80, rows: rows ?? 24, term: 'xterm-256color' },
        });
        const { id, token } = streams.create(textConsoleSource(cmd, guest));
        return { streamId: id, token, kind, textType: type, guest, domid } satisfies ConsoleOpened;
      }
      const port = await vncPort(transport, domid);
      const sock = await host.connectHostLoopback(port);
      const { id, token } = streams.create(vncSource(sock));
      return { streamId: id, token, kind, guest, domid } satisfies ConsoleOpened;
    },

    async 'console.close'({ streamId }) {
      return { closed: streams.close(streamId) };
    },

    async 'console.hostCheck'({ hostId }) {
      const { transport } = transportOf(ctx, hostId);
      const r = await transport.exec(XENCONSOLED_ARGS_ARGV);
      return { overflow: parseXenconsoledOverflow(r.stdout) };
    },

    async 'console.sysrq'({ hostId, guest, key }) {
      const { host, transport } = transportOf(ctx, hostId);
      await ctx.tasks.run(taskMeta(host, 'console.sysrq', guest), async (t) => {
        const r = await t.exec(transport, sysrqArgv(guest, key));
        if (r.code !== 0) throw new DomusError('command_failed', `SysRq ${key} could not be sent to ${guest}.`, parseXlError(r.stderr).summary || r.stderr);
      });
      return null;
    },

    async 'console.ctrlAltDel'({ hostId, guest }) {
      const { host, transport } = transportOf(ctx, hostId);
      await ctx.tasks.run(taskMeta(host, 'console.ctrlAltDel', guest), async (t) => {
        const r = await t.exec(transport, ctrlAltDelArgv(guest));
        if (r.code !== 0) {
          throw new DomusError('command_failed', `Ctrl-Alt-Del could not be sent to ${guest} (only HVM guests have a device model for it).`, parseXlError(r.stderr).summary || r.stderr);
        }
      });
      return null;
    },
  };
}

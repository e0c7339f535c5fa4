// Guest lifecycle, details, config editing and metric history. Every change runs as a task.
import { DomusError } from '../../api/errors';
import type { Guest } from '../../api/guests';
import type { TaskAction } from '../../api/tasks';
import * as xl from '../../drivers/xl/lifecycle';
import { refuseDiskConflicts, taskNotes } from '../../drivers/xl/diskUsage';
import { listSaveImages } from '../../drivers/xl/saveImages';
import type { TaskContext } from '../../tasks/taskLog';
import type { Transport } from '../../transport/types';
import { hostOf, taskMeta, transportOf, type BackendContext, type Handlers } from '../context';
import type { HostConnection } from '../hostConnection';

type LifecycleMethod =
  | 'guests.start' | 'guests.shutdown' | 'guests.reboot' | 'guests.pause' | 'guests.resume' | 'guests.destroy'
  | 'guests.save' | 'guests.restore' | 'guests.saveImages' | 'guests.deletePlan' | 'guests.delete' | 'guests.setAutostart'
  | 'guests.details' | 'guests.readConfig' | 'guests.writeConfig' | 'metrics.guest' | 'metrics.host';

const DEFAULT_SHUTDOWN_S = 60;

export function lifecycleHandlers(ctx: BackendContext): Handlers<LifecycleMethod> {
  function find(hostId: string, guestId: string): { host: HostConnection; transport: Transport; guest: Guest } {
    const { host, transport } = transportOf(ctx, hostId);
    const guest = host.guests().find((g) => g.id === guestId);
    if (!guest) throw new DomusError('not_found', 'That guest is no longer on this host.');
    return { host, transport, guest };
  }
  const running = (g: Guest) => {
    if (g.domid === null) throw new DomusError('conflict', `${g.name} is not running.`);
    if (g.isControlDomain) throw new DomusError('unsupported', 'Domain-0 is the host itself; Domus does not do that to it.');
  };
  const stopped = (g: Guest): string => {
    if (g.domid !== null) throw new DomusError('conflict', `${g.name} is running; shut it down first.`);
    if (!g.configPath) throw new DomusError('not_found', `${g.name} has no config file on the host.`);
    return g.configPath;
  };
  const withConfig = (g: Guest): string => {
    if (!g.configPath) throw new DomusError('not_found', `${g.name} has no config file in /etc/xen, so there is nothing to show or edit.`);
    return g.configPath;
  };
  /** Runs an operation as a task, then re-reads the inventory (also after a failure: state may have moved). */
  async function task<T>(host: HostConnection, transport: Transport, action: TaskAction, target: string | undefined, fn: (run: xl.Run, t: TaskContext) => Promise<T>, cancellable = false): Promise<T> {
    try {
      return await ctx.tasks.run(taskMeta(host, action, target, cancellable), (t) => fn((argv, opts) => t.exec(transport, argv, opts), t));
    } finally {
      await host.refresh().catch(() => undefined);
    }
  }
  /** Reads without a task (nothing changes). */
  const reader = (transport: Transport): xl.Run => (argv, opts) => transport.exec(argv, { timeoutMs: 60_000, ...opts });

  return {
    async 'guests.start'({ hostId, guestId, paused, sharedDisks }) {
      const { host, transport, guest } = find(hostId, guestId);
      const cfg = stopped(guest);
      await task(host, transport, 'guest.start', guest.name, async (run, t) => {
        // Only running guests count here: a stopped guest's config writes nothing.
        const findings = await refuseDiskConflicts(run, { path: cfg }, { self: guest.name, runningOnly: true, sharedDisks, nothingDone: `${guest.name} was not started.` });
        for (const n of taskNotes(findings)) t.note(n);
        await xl.startGuest(run, cfg, paused);
      });
      return null;
    },
    async 'guests.shutdown'({ hostId, guestId, timeoutSeconds }) {
      const { host, transport, guest } = find(hostId, guestId);
      running(guest);
      await task(host, transport, 'guest.shutdown', guest.name, async (run, t) => {
        t.progress(null);
        const domid = guest.domid!;
        await xl.shutdownGuest(run, guest.name, (timeoutSeconds ?? DEFAULT_SHUTDOWN_S) * 1000, t.signal, (ms, signal) => host.domainGone(domid, ms, signal));
      }, true);
      return null;
    },
    async 'guests.reboot'({ hostId, guestId }) {
      const { host, transport, guest } = find(hostId, guestId);
      running(guest);
      await task(host, transport, 'guest.reboot', guest.name, (run) => xl.rebootGuest(run, guest.name));
      return null;
    },
    async 'guests.pause'({ hostId, guestId }) {
      const { host, transport, guest } = find(hostId, guestId);
      running(guest);
      await task(host, transport, 'guest.pause', guest.name, (run) => xl.pauseGuest(run, guest.name));
      return null;
    },
    async 'guests.resume'({ hostId, guestId }) {
      const { host, transport, guest } = find(hostId, guestId);
      running(guest);
      await task(host, transport, 'guest.resume', guest.name, (run) => xl.resumeGuest(run, guest.name));
      return null;
    },
    async 'guests.destroy'({ hostId, guestId }) {
      const { host, transport, guest } = find(hostId, guestId);
      running(guest);
      await task(host, transport, 'guest.destroy', guest.name, (run) => xl.destroyGuest(run, guest.name));
      return null;
    },
    async 'guests.save'({ hostId, guestId, path }) {
      const { host, transport, guest } = find(hostId, guestId);
      running(guest);
      await task(host, transport, 'guest.save', guest.name, async (run, t) => {
        t.progress(null);
        await xl.saveGuest(run, guest.name, path);
      });
      return { path };
    },
    async 'guests.restore'({ hostId, path, paused }) {
      const { host, transport } = transportOf(ctx, hostId);
      await task(host, transport, 'guest.restore', path, async (run, t) => {
        t.progress(null);
        await xl.restoreGuest(run, path, paused);
      });
      return null;
    },
    async 'guests.saveImages'({ hostId }) {
      const { transport } = transportOf(ctx, hostId);
      return listSaveImages(reader(transport));
    },
    async 'guests.deletePlan'({ hostId, guestId }) {
      const { transport, guest } = find(hostId, guestId);
      return xl.deletePlan(reader(transport), guest.name, stopped(guest));
    },
    async 'guests.delete'({ hostId, guestId, disks, extras, sharedDisks }) {
      const { host, transport, guest } = find(hostId, guestId);
      const cfg = stopped(guest);
      const removed = await task(host, transport, 'guest.delete', guest.name, (run, t) =>
        xl.deleteGuest(run, guest.name, cfg, disks, { extras, sharedDisks, note: (n) => t.note(n) }));
      return { removed };
    },
    async 'guests.setAutostart'({ hostId, guestId, enabled }) {
      const { host, transport, guest } = find(hostId, guestId);
      const cfg = withConfig(guest);
      await task(host, transport, enabled ? 'guest.autostartOn' : 'guest.autostartOff', guest.name, (run) => xl.setAutostart(run, guest.name, cfg, enabled));
      return null;
    },
    async 'guests.details'({ hostId, guestId }) {
      const { transport, guest } = find(hostId, guestId);
      return xl.guestDetails(reader(transport), guest);
    },
    async 'guests.readConfig'({ hostId, guestId }) {
      const { transport, guest } = find(hostId, guestId);
      const path = withConfig(guest);
      return { path, text: await xl.readConfigText(reader(transport), path) };
    },
    async 'guests.writeConfig'({ hostId, guestId, text, baseText, sharedDisks, saveAnyway }) {
      const { host, transport, guest } = find(hostId, guestId);
      const path = withConfig(guest);
      try {
        const { backupPath, problems } = await task(host, transport, 'guest.editConfig', guest.name, async (run, t) => {
          const findings = await refuseDiskConflicts(run, { text }, { self: guest.name, selfConfig: path, sharedDisks, nothingDone: 'The file was not changed.' });
          for (const n of taskNotes(findings)) t.note(n);
          return xl.writeConfig(run, path, text, baseText, { currentName: guest.name, saveAnyway, note: (s) => t.note(s) });
        });
        return { path, written: true, backupPath, problems };
      } catch (err) {
        // Refused by the host checks: the task says so; the editor shows the list and offers "save anyway".
        if (err instanceof xl.ConfigRefused) return { path, written: false, backupPath: null, problems: err.problems };
        throw err;
      }
    },
    async 'metrics.guest'({ hostId, guestId }) {
      return hostOf(ctx, hostId).metrics.guest(guestId);
    },
    async 'metrics.host'({ hostId }) {
      const host = hostOf(ctx, hostId);
      const info = host.hostInfo();
      return host.metrics.hostSeries(info?.totalMemoryMiB ?? null, info?.nrCpus ?? null);
    },
  };
}

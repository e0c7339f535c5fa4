// Creating guests: the wizard's facts, file browser, preview, dry run, create and duplicate (each
// change a task with its commands in the log), and the wizard templates kept on this computer.
import { DomusError } from '../../api/errors';
import type { Guest } from '../../api/guests';
import * as create from '../../drivers/xl/create';
import { duplicateGuest } from '../../drivers/xl/create/duplicate';
import { diskInfo, disksOfConfig, readConfigText, type Run } from '../../drivers/xl/lifecycle';
import { XlCfg } from '../../drivers/xl/xlcfg';
import { CreateTemplateStore } from '../../store/createTemplates';
import type { TaskContext } from '../../tasks/taskLog';
import type { Transport } from '../../transport/types';
import { taskMeta, transportOf, type BackendContext, type Handlers } from '../context';
import type { HostConnection } from '../hostConnection';

type CreateMethod =
  | 'create.facts' | 'create.browse' | 'create.preview' | 'create.dryRun' | 'create.create'
  | 'create.duplicatePlan' | 'create.duplicate' | 'create.listTemplates' | 'create.saveTemplate' | 'create.deleteTemplate';

export function createHandlers(ctx: BackendContext): Handlers<CreateMethod> {
  const templates = new CreateTemplateStore(ctx.configDir);
  const reader = (transport: Transport): Run => (argv, opts) => transport.exec(argv, { timeoutMs: 60_000, ...opts });
  const xlHost = (hostId: string) => {
    const c = transportOf(ctx, hostId);
    if (c.host.hostInfo()?.toolstack === 'xapi') throw new DomusError('unsupported', 'Creating guests on XenAPI hosts is not in Domus yet.');
    return c;
  };
  const usedNames = (host: HostConnection) => host.guests().map((g) => g.name);
  const facts = (host: HostConnection, transport: Transport) => create.readFacts(reader(transport), usedNames(host));
  const findGuest = (host: HostConnection, guestId: string): Guest => {
    const g = host.guests().find((x) => x.id === guestId);
    if (!g) throw new DomusError('not_found', 'That guest is no longer on this host.');
    if (!g.configPath) throw new DomusError('not_found', `${g.name} has no config file in /etc/xen, so there is nothing to duplicate.`);
    return g;
  };
  async function task<T>(host: HostConnection, transport: Transport, action: string, target: string, fn: (run: Run, t: TaskContext) => Promise<T>): Promise<T> {
    try {
      return await ctx.tasks.run(taskMeta(host, action, target, true), (t) => fn((argv, opts) => t.exec(transport, argv, opts), t));
    } finally {
      // Re-read the inventory so the new guest is listed.
      await host.refresh().catch(() => undefined);
    }
  }

  return {
    async 'create.facts'({ hostId }) {
      const { host, transport } = xlHost(hostId);
      return facts(host, transport);
    },
    async 'create.browse'({ hostId, dir }) {
      const { transport } = xlHost(hostId);
      return create.listDirectory(reader(transport), dir);
    },
    async 'create.preview'({ hostId, answers, sharedDisks }) {
      const { host, transport } = xlHost(hostId);
      return create.preview(reader(transport), answers, await facts(host, transport), sharedDisks);
    },
    async 'create.dryRun'({ hostId, configText }) {
      const { transport } = xlHost(hostId);
      return create.dryRun(reader(transport), configText);
    },
    async 'create.create'({ hostId, answers, configText, start, sharedDisks }) {
      const { host, transport } = xlHost(hostId);
      return task(host, transport, 'guest.create', answers.name, async (run, t) => {
        const f = await create.readFacts(run, usedNames(host));
        return create.createGuest(run, answers, f, configText, start, { signal: t.signal, progress: (p) => t.progress(p), note: (n) => t.note(n) }, sharedDisks);
      });
    },
    async 'create.duplicatePlan'({ hostId, guestId }) {
      const { host, transport } = xlHost(hostId);
      const g = findGuest(host, guestId);
      const run = reader(transport);
      const cfg = XlCfg.parse(await readConfigText(run, g.configPath!));
      const disks = disksOfConfig(cfg);
      const info = await diskInfo(run, disks);
      const taken = new Set(usedNames(host));
      let suggestedName = `${g.name}-copy`;
      for (let n = 2; taken.has(suggestedName); n++) suggestedName = `${g.name}-copy${n}`;
      return {
        sourceName: g.name,
        suggestedName: suggestedName.slice(0, 64),
        disks: info.map((d, i) => ({ target: d.target, format: d.format, vdev: d.vdev, isFile: d.isFile, cdrom: disks[i].cdrom, sizeBytes: d.sizeBytes })),
      };
    },
    async 'create.duplicate'({ hostId, guestId, name, disks, start, sharedDisks }) {
      const { host, transport } = xlHost(hostId);
      const g = findGuest(host, guestId);
      return task(host, transport, 'guest.duplicate', name, async (run, t) => {
        const configText = await readConfigText(run, g.configPath!);
        return duplicateGuest(run, { name: g.name, running: g.domid !== null, configText }, name, disks, start, {
          signal: t.signal,
          progress: (p) => t.progress(p),
          note: (n) => t.note(n),
        }, sharedDisks);
      });
    },
    async 'create.listTemplates'() {
      return templates.list();
    },
    async 'create.saveTemplate'({ label, answers }) {
      return templates.save(label, answers);
    },
    async 'create.deleteTemplate'({ id }) {
      await templates.delete(id);
      return null;
    },
  };
}

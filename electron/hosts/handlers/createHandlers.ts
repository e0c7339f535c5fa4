// Creating guests: the wizard's facts, file browser, preview, dry run, create and duplicate (each
// change a task with its commands in the log), and the wizard templates kept on this computer.
import { DomusError } from '../../api/errors';
import type { TaskAction } from '../../api/tasks';
import type { Guest } from '../../api/guests';
import * as create from '../../drivers/xl/create';
import { duplicateGuest } from '../../drivers/xl/create/duplicate';
import { diskInfo, disksOfConfig, readConfigText, type Run } from '../../drivers/xl/lifecycle';
import { XlCfg } from '../../drivers/xl/xlcfg';
import { CreateTemplateStore } from '../../store/createTemplates';
import { CheckedConfigs } from '../checkedConfigs';
import type { TaskContext } from '../../tasks/taskLog';
import type { Transport } from '../../transport/types';
import { taskMeta, transportOf, type BackendContext, type Handlers } from '../context';
import type { HostConnection } from '../hostConnection';

/** How long a started guest may take to show in the inventory by itself before Domus re-reads. */
const LISTED_WITHIN_MS = 5_000;

type CreateMethod =
  | 'create.facts' | 'create.browse' | 'create.preview' | 'create.dryRun' | 'create.describe' | 'create.create'
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
  const checkedByXl = new CheckedConfigs();
  const lvm = new create.LvmTools();
  const hasLvm = (transport: Transport) => lvm.present(transport, reader(transport));
  const facts = async (host: HostConnection, transport: Transport) => create.readFacts(reader(transport), usedNames(host), await hasLvm(transport));
  const findGuest = (host: HostConnection, guestId: string): Guest => {
    const g = host.guests().find((x) => x.id === guestId);
    if (!g) throw new DomusError('not_found', 'That guest is no longer on this host.');
    if (!g.configPath) throw new DomusError('not_found', `${g.name} has no config file in /etc/xen, so there is nothing to duplicate.`);
    return g;
  };
  async function task<T extends { name: string; started: boolean }>(
    host: HostConnection, transport: Transport, action: TaskAction, target: string, fn: (run: Run, t: TaskContext) => Promise<T>,
  ): Promise<T> {
    let result: T | null = null;
    try {
      return (result = await ctx.tasks.run(taskMeta(host, action, target, true), (t) => fn((argv, opts) => t.exec(transport, argv, opts), t)));
    } finally {
      // The new guest is listed when the call returns. A started one comes by the inventory's own
      // event (its xenstore entry appears while xl create still works, so the re-list is usually
      // done by then); a config alone, or what a failure left, by re-reading now.
      const name = result?.started ? result.name : null;
      const listed = name !== null && (await host.whenInventory((gs) => gs.some((g) => g.name === name && g.domid !== null), LISTED_WITHIN_MS));
      if (!listed) await host.refresh().catch(() => undefined);
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
      const r = await create.dryRun(reader(transport), configText);
      if (r.ok) checkedByXl.add(hostId, configText);
      return r;
    },
    async 'create.describe'({ hostId, configText }) {
      xlHost(hostId);
      return create.describeConfig(configText);
    },
    async 'create.create'({ hostId, answers, configText, start, sharedDisks }) {
      const { host, transport } = xlHost(hostId);
      return task(host, transport, 'guest.create', answers.name, async (run, t) => {
        const f = await create.readFacts(run, usedNames(host), await hasLvm(transport));
        const hooks = { signal: t.signal, progress: (p: number) => t.progress(p), note: (n: string) => t.note(n) };
        return create.createGuest(run, answers, f, configText, start, hooks, sharedDisks, (text) => checkedByXl.has(hostId, text));
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

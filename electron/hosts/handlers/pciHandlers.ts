// PCI passthrough: the host's devices with what dom0 needs, and giving devices to guests and back.
// Every change is a task; each one checks its outcome on the host before it reports success.
import { DomusError } from '../../api/errors';
import type { Dom0Need, PciDevice } from '../../api/pci';
import { availabilityFromXlInfo, buildPciInventory, passthroughAvailability, passthroughRefusal, pciArgv, pciError, pciSpec, persistencePreview } from '../../drivers/xl/pci';
import { editGuestConfig, setPassthrough, setPciEntry } from '../../drivers/xl/pciConfigEdit';
import { DESKTOP_PROBE_SCRIPT, PCI_BOOT_ONLY_SCRIPT, PCI_PROBE_SCRIPT, parseDesktopProbe, parsePciProbe } from '../../drivers/xl/pciSafety';
import { parsePciAssignableList, parsePciList } from '../../drivers/xl/parse';
import type { Transport } from '../../transport/types';
import { PassthroughSeen } from '../passthroughSeen';
import { taskMeta, transportOf, type BackendContext, type Handlers } from '../context';

type PciMethodName =
  | 'pci.list' | 'pci.makeAssignable' | 'pci.giveBack' | 'pci.persistencePreview'
  | 'pci.attach' | 'pci.detach' | 'pci.configure' | 'pci.enablePassthrough';

/** Runs the probe script (all of it, or only some of its sections) and parses what it printed. */
async function probe(transport: Transport, script = PCI_PROBE_SCRIPT) {
  const r = await transport.exec(pciArgv.probe(script), { timeoutMs: 120_000 });
  if (r.code !== 0) throw new DomusError('command_failed', 'Domus could not read the host\'s PCI devices.', r.stderr);
  return parsePciProbe(r.stdout);
}

/**
 * On "this computer" there may be no SSH link to protect, but the desktop Domus is shown on runs on
 * dom0's own display and input devices: the probe learns them too (a second, local command).
 */
async function hostProbe(transport: Transport, local: boolean) {
  if (!local) return probe(transport);
  const [p, d] = await Promise.all([probe(transport), transport.exec(pciArgv.probe(DESKTOP_PROBE_SCRIPT), { timeoutMs: 60_000 })]);
  if (d.code !== 0) throw new DomusError('command_failed', 'Domus could not read which devices this computer\'s desktop uses.', d.stderr);
  return { ...p, desktop: parseDesktopProbe(d.stdout) };
}

const NEED_WORDS: Record<Dom0Need['kind'], string> = {
  'ssh-nic': 'the network connection Domus uses',
  storage: 'disks dom0 has mounted',
  console: 'the console display',
  desktop: "this computer's desktop, where Domus is shown",
};

/** "Giving it away cuts off: …" — what stops working, named. */
export function dom0NeedSentence(d: Pick<PciDevice, 'bdf' | 'dom0Needs'>): string {
  const byKind = new Map<Dom0Need['kind'], string[]>();
  for (const n of d.dom0Needs) byKind.set(n.kind, [...(byKind.get(n.kind) ?? []), `${n.what}${n.via ? `, through ${n.via}` : ''}`]);
  const parts = [...byKind].map(([kind, whats]) => `${NEED_WORDS[kind]} (${whats.join('; ')})`);
  return `dom0 needs ${d.bdf}: taking it away stops ${parts.join('; ')}.`;
}

export function pciHandlers(ctx: BackendContext): Handlers<PciMethodName> {
  /**
   * Whether the host can pass devices through, from Xen's capabilities (read at connect). When they
   * say no (or are not known yet), xl info is read again: its virt_caps decide, and Xen's command
   * line lets the reason name "iommu=0".
   */
  const availabilityOf = async (host: ReturnType<typeof transportOf>['host'], transport: Transport) => {
    const known = host.hostInfo()?.virtCaps;
    if (known && passthroughAvailability(known).available) return passthroughAvailability(known);
    const r = await transport.exec(['xl', 'info']);
    if (r.code !== 0) return passthroughAvailability(known ?? []);
    return availabilityFromXlInfo(r.stdout);
  };
  const seen = new PassthroughSeen();
  /** name → domid of the host's running guests, from the live inventory. */
  const domids = (host: ReturnType<typeof transportOf>['host']) =>
    new Map(host.guests().flatMap((g) => (g.domid === null ? [] : [[g.name, g.domid] as const])));
  const inventory = async (hostId: string) => {
    const { host, transport } = transportOf(ctx, hostId);
    const [p, a] = await Promise.all([hostProbe(transport, host.profile.kind === 'local'), availabilityOf(host, transport)]);
    const inv = buildPciInventory(p, a.virtCaps);
    // A domain seen with a device keeps passthrough after its last one is detached.
    const guests = seen.apply(hostId, inv.guests, domids(host));
    return { host, transport, probe: p, inv: { ...inv, guests, availability: a } };
  };
  const deviceOf = (devices: PciDevice[], bdf: string) => {
    const d = devices.find((x) => x.bdf === bdf);
    if (!d) throw new DomusError('not_found', `There is no PCI device ${bdf} on this host.`);
    return d;
  };
  // Refused before anything runs on a host without an IOMMU, with the reason (see passthroughRefusal).
  const refuseWithoutIommu = async (hostId: string, method: PciMethodName, input: { remove?: boolean } = {}) => {
    const { host, transport } = transportOf(ctx, hostId);
    const refusal = passthroughRefusal(await availabilityOf(host, transport), method, input);
    if (refusal) throw refusal;
  };
  const assignableList = async (transport: Transport) =>
    parsePciAssignableList((await transport.exec(['xl', 'pci-assignable-list'])).stdout).map((a) => a.bdf);
  const guestDevices = async (transport: Transport, guest: string) =>
    parsePciList((await transport.exec(['xl', 'pci-list', '--', guest])).stdout).map((p) => p.bdf);

  return {
    async 'pci.list'({ hostId }) {
      return (await inventory(hostId)).inv;
    },

    async 'pci.persistencePreview'({ hostId, bdfs }) {
      const { transport } = transportOf(ctx, hostId);
      // Only the kernel command line and the grub defaults: the other sections would be empty.
      return persistencePreview(await probe(transport, PCI_BOOT_ONLY_SCRIPT), bdfs);
    },

    async 'pci.makeAssignable'({ hostId, bdf, confirm }) {
      await refuseWithoutIommu(hostId, 'pci.makeAssignable');
      const { host, transport, inv } = await inventory(hostId);
      const d = deviceOf(inv.devices, bdf);
      if (d.isBridge) throw new DomusError('unsupported', `${bdf} is a PCI bridge; bridges stay with dom0.`);
      if (d.dom0Needs.length && confirm !== bdf) {
        throw new DomusError('conflict', `${dom0NeedSentence(d)} Type its address to confirm.`);
      }
      await ctx.tasks.run(taskMeta(host, 'pci.makeAssignable', bdf), async (t) => {
        const r = await t.exec(transport, pciArgv.assignableAdd(bdf));
        if (r.code !== 0) throw pciError(`make ${bdf} assignable`, r.stderr);
        if (!(await assignableList(transport)).includes(bdf)) {
          throw new DomusError('command_failed', `xl reported success, but ${bdf} is not in the list of assignable devices.`, r.stderr);
        }
      });
      await host.refresh();
      return null;
    },

    async 'pci.giveBack'({ hostId, bdf }) {
      const { host, transport } = transportOf(ctx, hostId);
      await ctx.tasks.run(taskMeta(host, 'pci.giveBack', bdf), async (t) => {
        const r = await t.exec(transport, pciArgv.assignableRemove(bdf));
        if (r.code !== 0) throw pciError(`give ${bdf} back to dom0`, r.stderr);
        if ((await assignableList(transport)).includes(bdf)) {
          throw new DomusError('command_failed', `xl reported success, but ${bdf} is still assignable.`, r.stderr);
        }
      });
      await host.refresh();
      return null;
    },

    async 'pci.attach'({ hostId, bdf, guest, options }) {
      await refuseWithoutIommu(hostId, 'pci.attach');
      const { host, transport, inv } = await inventory(hostId);
      const d = deviceOf(inv.devices, bdf);
      const g = inv.guests.find((x) => x.name === guest && x.running);
      if (!g) throw new DomusError('not_found', `No guest named ${guest} is running.`);
      if (!g.liveAttach) {
        throw new DomusError('unsupported', `${guest} was started without passthrough, so devices cannot be attached while it runs. Enable passthrough in its config (or give it the device in its config) and start it again.`);
      }
      if (d.dom0Needs.length) throw new DomusError('conflict', `${dom0NeedSentence(d)} Make it assignable first (that asks for confirmation).`);
      if (!d.assignable && !options.seize) throw new DomusError('conflict', `${bdf} is not assignable yet: make it assignable first, or use "seize".`);
      await ctx.tasks.run(taskMeta(host, 'pci.attach', `${guest} ${bdf}`), async (t) => {
        const r = await t.exec(transport, pciArgv.attach(guest, bdf, options), { timeoutMs: 120_000 });
        if (r.code !== 0) throw pciError(`attach ${bdf} to ${guest}`, r.stderr);
        if (!(await guestDevices(transport, guest)).includes(bdf)) {
          throw new DomusError('command_failed', `xl reported success, but ${guest} does not list ${bdf}.`, r.stderr);
        }
      });
      await host.refresh();
      return null;
    },

    async 'pci.detach'({ hostId, bdf, guest }) {
      await refuseWithoutIommu(hostId, 'pci.detach');
      const { host, transport } = transportOf(ctx, hostId);
      const domid = domids(host).get(guest);
      await ctx.tasks.run(taskMeta(host, 'pci.detach', `${guest} ${bdf}`), async (t) => {
        const r = await t.exec(transport, pciArgv.detach(guest, bdf), { timeoutMs: 120_000 });
        if (r.code !== 0) throw pciError(`detach ${bdf} from ${guest}`, r.stderr);
        if ((await guestDevices(transport, guest)).includes(bdf)) {
          throw new DomusError('command_failed', `xl reported success, but ${guest} still lists ${bdf}.`, r.stderr);
        }
      });
      // It held a device, so it keeps passthrough now that this one is gone, even if it was its last.
      if (domid !== undefined) seen.note(hostId, guest, domid);
      await host.refresh();
      return null;
    },

    async 'pci.configure'({ hostId, bdf, guest, options, remove }) {
      await refuseWithoutIommu(hostId, 'pci.configure', { remove });
      const { host, transport, inv } = await inventory(hostId);
      const g = inv.guests.find((x) => x.name === guest);
      if (!g?.configPath) throw new DomusError('not_found', `${guest} has no config in /etc/xen, so Domus cannot change what it gets at start.`);
      if (!remove) {
        const d = deviceOf(inv.devices, bdf);
        if (d.isBridge) throw new DomusError('unsupported', `${bdf} is a PCI bridge; bridges stay with dom0.`);
        if (d.dom0Needs.length) throw new DomusError('conflict', `${dom0NeedSentence(d)} Domus does not put it in a guest config.`);
      }
      const path = g.configPath;
      await ctx.tasks.run(taskMeta(host, remove ? 'pci.unconfigure' : 'pci.configure', `${guest} ${bdf}`), (t) =>
        editGuestConfig(t, transport, path, (text) => setPciEntry(text, bdf, remove ? null : pciSpec(bdf, options))),
      );
      await host.refresh();
      return null;
    },

    async 'pci.enablePassthrough'({ hostId, guest }) {
      await refuseWithoutIommu(hostId, 'pci.enablePassthrough');
      const { host, transport, inv } = await inventory(hostId);
      const g = inv.guests.find((x) => x.name === guest);
      if (!g?.configPath) throw new DomusError('not_found', `${guest} has no config in /etc/xen, so Domus cannot change how it starts.`);
      const path = g.configPath;
      await ctx.tasks.run(taskMeta(host, 'pci.enablePassthrough', guest), (t) =>
        editGuestConfig(t, transport, path, (text) => setPassthrough(text, 'enabled')),
      );
      await host.refresh();
      return null;
    },
  };
}

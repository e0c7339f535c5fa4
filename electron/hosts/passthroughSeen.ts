// Domains seen holding a PCI device. A domain started with devices has passthrough on for its whole
// life, so after its last device is detached it can still take one live. Yet nothing on the host
// says so once the device is gone: xl pci-list is empty, libxl drops the pci backend from xenstore,
// and `xl list -l` names no passthrough mode when the config gave devices rather than
// `passthrough=`. So the backend remembers, per host, each domain (name and domid: Xen hands out
// domids in turn, so one comes back only after tens of thousands of starts) it has seen with a
// device. What it forgets on restart the guest's config still tells in most cases; where it is
// wrong, xl refuses the attach and its words are shown.
import type { PciGuest } from '../api/pci';

export class PassthroughSeen {
  private readonly seen = new Map<string, Set<string>>();

  private static key(name: string, domid: number): string {
    return `${domid}\u0000${name}`;
  }

  note(hostId: string, name: string, domid: number): void {
    let s = this.seen.get(hostId);
    if (!s) this.seen.set(hostId, (s = new Set()));
    s.add(PassthroughSeen.key(name, domid));
  }

  has(hostId: string, name: string, domid: number): boolean {
    return this.seen.get(hostId)?.has(PassthroughSeen.key(name, domid)) ?? false;
  }

  /**
   * The inventory's guests with live attach on for every running domain seen with a device, noting
   * those that hold one now. `domids` are the host's running guests by name; domains no longer
   * running are forgotten.
   */
  apply(hostId: string, guests: PciGuest[], domids: ReadonlyMap<string, number>): PciGuest[] {
    this.keepOnly(hostId, [...domids].map(([name, domid]) => ({ name, domid })));
    return guests.map((g) => {
      const domid = g.running ? domids.get(g.name) : undefined;
      if (domid === undefined) return g;
      if (g.devices.length) this.note(hostId, g.name, domid);
      return g.liveAttach || !this.has(hostId, g.name, domid) ? g : { ...g, liveAttach: true };
    });
  }

  /** Drops the domains of a host that are no longer running (their domids will not come back). */
  keepOnly(hostId: string, running: { name: string; domid: number }[]): void {
    const s = this.seen.get(hostId);
    if (!s) return;
    const live = new Set(running.map((g) => PassthroughSeen.key(g.name, g.domid)));
    for (const k of s) if (!live.has(k)) s.delete(k);
  }
}

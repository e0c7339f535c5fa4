// Who looks at which host's live figures. Every window (an Electron window, a browser tab, a
// console window) holds a lease naming the hosts it shows live figures for now, renewed while it
// shows them and emptied when it is hidden; a window that crashed or lost its connection simply
// stops renewing. A host is watched while any lease names it: its monitor then samples once a
// second, otherwise slower (what idle monitoring costs dom0 is mostly that rate).

/** How long a lease lasts without renewal; windows renew at a third of it. */
export const LIVE_LEASE_MS = 45_000;

export class LiveViewers {
  private readonly leases = new Map<string, { hostIds: ReadonlySet<string>; until: number }>();
  private watched = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  /** onChange(hostId, watched) for every host whose watched state flips. */
  constructor(
    private readonly onChange: (hostId: string, watched: boolean) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A window's current interest; an empty list ends its lease. */
  set(viewer: string, hostIds: readonly string[]): void {
    if (hostIds.length) this.leases.set(viewer, { hostIds: new Set(hostIds), until: this.now() + LIVE_LEASE_MS });
    else this.leases.delete(viewer);
    this.update();
  }

  isWatched(hostId: string): boolean {
    return this.watched.has(hostId);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.leases.clear();
  }

  private update(): void {
    const t = this.now();
    for (const [viewer, lease] of this.leases) if (lease.until <= t) this.leases.delete(viewer);
    const next = new Set<string>();
    for (const lease of this.leases.values()) for (const id of lease.hostIds) next.add(id);
    const before = this.watched;
    this.watched = next;
    for (const id of next) if (!before.has(id)) this.onChange(id, true);
    for (const id of before) if (!next.has(id)) this.onChange(id, false);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.leases.size) {
      const first = Math.min(...[...this.leases.values()].map((l) => l.until));
      this.timer = setTimeout(() => this.update(), Math.max(0, first - t) + 10);
      this.timer.unref?.();
    }
  }
}

// The renderer's state: hosts, and per host its HostInfo and a Map of guests keyed by guest.id.
// Immutable snapshots for useSyncExternalStore: every change makes new containers but keeps every
// untouched object (and every upserted guest equal to the one we had) identical, so memoized rows
// and selectors do not re-render.
import { deepEqual } from '../../../electron/api/jsonEqual';
import { LIVE_GUEST_FIELDS, type Guest, type GuestStats } from '../../../electron/api/guests';
import type { HostInfo, HostSummary } from '../../../electron/api/hosts';
import type { EventPayload } from '../../../electron/api/events';
import type { Task } from '../../../electron/api/tasks';

export type GuestMap = ReadonlyMap<string, Guest>;

export interface State {
  /** Hosts in the order the backend listed them (new ones at the end). */
  readonly hosts: readonly HostSummary[];
  /** undefined: not loaded yet; null: the backend has none (not connected). */
  readonly info: ReadonlyMap<string, HostInfo | null>;
  /** Absent: not loaded yet. */
  readonly guests: ReadonlyMap<string, GuestMap>;
  /** True once hosts.list has answered. */
  readonly hostsLoaded: boolean;
  /** The task log, by task id (insertion order = start order). */
  readonly tasks: ReadonlyMap<string, Task>;
}

export type GuestDelta = EventPayload<'guests.changed'>;

export const emptyState: State = { hosts: [], info: new Map(), guests: new Map(), hostsLoaded: false, tasks: new Map() };

/** Applies a guests.changed delta to one host's guest map. Returns the same map when nothing
 *  changed; keeps untouched and unchanged guests identical. */
export function applyGuestDelta(prev: GuestMap | undefined, delta: Pick<GuestDelta, 'upserted' | 'removed' | 'reset'>): GuestMap {
  if (delta.reset) {
    const next = new Map<string, Guest>();
    for (const g of delta.upserted) {
      const old = prev?.get(g.id);
      next.set(g.id, old && deepEqual(old, g) ? old : g);
    }
    if (prev && prev.size === next.size) {
      let same = true;
      for (const [id, g] of next) if (prev.get(id) !== g) { same = false; break; }
      if (same) return prev;
    }
    return next;
  }
  let next: Map<string, Guest> | null = null;
  const base = prev ?? new Map<string, Guest>();
  for (const id of delta.removed) {
    if (!base.has(id) && !next) continue;
    next ??= new Map(base);
    next.delete(id);
  }
  for (const g of delta.upserted) {
    const old = (next ?? base).get(g.id);
    if (old && deepEqual(old, g)) continue;
    next ??= new Map(base);
    next.set(g.id, g);
  }
  return next ?? (prev ?? base);
}

/** Applies a live sample's columns to one host's guest map: each guest whose live fields changed
 *  becomes a copy with the new values; ids not in the map (not loaded yet) are skipped. Returns
 *  the same map when nothing changed. */
export function applyGuestStats(prev: GuestMap | undefined, stats: GuestStats): GuestMap | undefined {
  if (!prev) return prev;
  let next: Map<string, Guest> | null = null;
  for (let i = 0; i < stats.ids.length; i++) {
    const old = prev.get(stats.ids[i]);
    if (!old) continue;
    let same = true;
    for (const f of LIVE_GUEST_FIELDS) if (old[f] !== stats[f][i]) same = false;
    if (same) continue;
    const g: Record<string, unknown> = { ...old };
    for (const f of LIVE_GUEST_FIELDS) g[f] = stats[f][i];
    next ??= new Map(prev);
    next.set(old.id, g as Guest);
  }
  return next ?? prev;
}

type Listener = () => void;

export class Store {
  private state: State;
  private readonly listeners = new Set<Listener>();

  constructor(initial: State = emptyState) {
    this.state = initial;
  }

  getState = (): State => this.state;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };

  private set(next: State) {
    if (next === this.state) return;
    this.state = next;
    for (const l of [...this.listeners]) l();
  }

  setHosts(list: readonly HostSummary[]) {
    const prev = new Map(this.state.hosts.map((h) => [h.id, h]));
    const hosts = list.map((h) => {
      const old = prev.get(h.id);
      return old && deepEqual(old, h) ? old : h;
    });
    const ids = new Set(hosts.map((h) => h.id));
    const info = new Map([...this.state.info].filter(([id]) => ids.has(id)));
    const guests = new Map([...this.state.guests].filter(([id]) => ids.has(id)));
    this.set({ ...this.state, hosts, info, guests, hostsLoaded: true });
  }

  /** From hosts.add/connect results and connection.state events. */
  upsertHost(summary: HostSummary) {
    const i = this.state.hosts.findIndex((h) => h.id === summary.id);
    if (i >= 0 && deepEqual(this.state.hosts[i], summary)) return;
    const hosts = [...this.state.hosts];
    if (i >= 0) hosts[i] = summary;
    else hosts.push(summary);
    this.set({ ...this.state, hosts });
  }

  removeHost(id: string) {
    if (!this.state.hosts.some((h) => h.id === id)) return;
    const info = new Map(this.state.info);
    info.delete(id);
    const guests = new Map(this.state.guests);
    guests.delete(id);
    this.set({ ...this.state, hosts: this.state.hosts.filter((h) => h.id !== id), info, guests });
  }

  setInfo(hostId: string, value: HostInfo | null) {
    const old = this.state.info.get(hostId);
    if (old !== undefined && deepEqual(old, value)) return;
    const info = new Map(this.state.info);
    info.set(hostId, value);
    this.set({ ...this.state, info });
  }

  applyGuests(delta: GuestDelta) {
    this.setGuestMap(delta.hostId, applyGuestDelta(this.state.guests.get(delta.hostId), delta));
  }

  applyStats(p: EventPayload<'guests.stats'>) {
    this.setGuestMap(p.hostId, applyGuestStats(this.state.guests.get(p.hostId), p.stats));
  }

  /** One host's guest map, replaced when it is a new one. */
  private setGuestMap(hostId: string, next: GuestMap | undefined) {
    if (!next || next === this.state.guests.get(hostId)) return;
    const guests = new Map(this.state.guests);
    guests.set(hostId, next);
    this.set({ ...this.state, guests });
  }

  /** The whole task log (tasks.list), replacing what we had. */
  setTasks(list: readonly Task[]) {
    this.set({ ...this.state, tasks: new Map(list.map((t) => [t.id, t])) });
  }

  /** One task started, progressed or ended (task.progress). */
  upsertTask(task: Task) {
    const old = this.state.tasks.get(task.id);
    if (old && deepEqual(old, task)) return;
    const tasks = new Map(this.state.tasks);
    tasks.set(task.id, task);
    // Bounded like the backend's log.
    if (tasks.size > 500) tasks.delete(tasks.keys().next().value as string);
    this.set({ ...this.state, tasks });
  }

  /** Forgets a host's live data (on disconnect). */
  clearLive(hostId: string) {
    if (!this.state.info.has(hostId) && !this.state.guests.has(hostId)) return;
    const info = new Map(this.state.info);
    info.delete(hostId);
    const guests = new Map(this.state.guests);
    guests.delete(hostId);
    this.set({ ...this.state, info, guests });
  }
}

// A live sample travels as columns of the live fields (guests.stats), whole guests only when
// something else changed: the driver's diff decides, the contract checks, the renderer's store
// applies it to the guests it has.
import { describe, expect, it } from 'vitest';
import { Events } from '../../../electron/api/events';
import { GuestStats, type Guest } from '../../../electron/api/guests';
import { diffGuests } from '../../../electron/drivers/xl/guestModel';
import { applyGuestStats, Store } from '../../../renderer/src/state/store';
import { guest } from '../renderer/fixtures';

const byId = (gs: Guest[]) => new Map(gs.map((g) => [g.id, g]));

describe('diffGuests', () => {
  const a = guest({ name: 'a', cpuPercent: 1, nics: [{ bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }] });
  const b = guest({ name: 'b', cpuPercent: 2 });

  it('sends a sample that changed only live fields as columns, and nothing for an unchanged guest', () => {
    // New objects with equal device lists, as the driver builds them every second.
    const a2 = { ...a, cpuPercent: 7.5, netRxKiB: 3, state: 'blocked' as const, nics: a.nics.map((n) => ({ ...n })) };
    const d = diffGuests(byId([a, b]), [a2, { ...b }]);
    expect(d.upserted).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.stats).toEqual({
      ids: [a.id], state: ['blocked'], cpuPercent: [7.5], cpuSeconds: [a.cpuSeconds], memoryMiB: [a.memoryMiB],
      netTxKiB: [a.netTxKiB], netRxKiB: [3], diskReads: [a.diskReads], diskWrites: [a.diskWrites],
    });
    expect(GuestStats.safeParse(d.stats).success).toBe(true);
  });

  it('sends a guest whole when anything beyond the live fields changed, and new and gone guests', () => {
    const a2 = { ...a, cpuPercent: 9, nics: [{ bridge: 'xenbr1', mac: '00:16:3e:00:00:01' }] };
    const c = guest({ name: 'c' });
    const d = diffGuests(byId([a, b]), [a2, c]);
    expect(d.upserted).toEqual([a2, c]);
    expect(d.removed).toEqual([b.id]);
    expect(d.stats).toBeNull();
  });
});

describe('guests.stats in the contract', () => {
  it('refuses columns of unequal length', () => {
    const ok = { ids: ['x'], state: ['running'], cpuPercent: [1], cpuSeconds: [1], memoryMiB: [1], netTxKiB: [null], netRxKiB: [null], diskReads: [null], diskWrites: [null] };
    expect(Events['guests.stats'].safeParse({ hostId: 'h', stats: ok }).success).toBe(true);
    expect(Events['guests.stats'].safeParse({ hostId: 'h', stats: { ...ok, cpuPercent: [] } }).success).toBe(false);
  });
});

describe('applyGuestStats', () => {
  const a = guest({ name: 'a', cpuPercent: 1 });
  const b = guest({ name: 'b', cpuPercent: 2 });
  const stats = (id: string, cpu: number) => ({
    ids: [id], state: ['running' as const], cpuPercent: [cpu], cpuSeconds: [a.cpuSeconds], memoryMiB: [a.memoryMiB],
    netTxKiB: [a.netTxKiB], netRxKiB: [a.netRxKiB], diskReads: [a.diskReads], diskWrites: [a.diskWrites],
  });

  it('replaces the changed guest with a copy holding the new values and keeps the others identical', () => {
    const prev = byId([a, b]);
    const next = applyGuestStats(prev, stats(a.id, 42))!;
    expect(next).not.toBe(prev);
    expect(next.get(a.id)).toEqual({ ...a, cpuPercent: 42, state: 'running' });
    expect(next.get(b.id)).toBe(b);
  });

  it('returns the same map when nothing changed or the guest is not known yet', () => {
    const prev = byId([a, b]);
    expect(applyGuestStats(prev, { ...stats(a.id, 1), state: [a.state] })).toBe(prev);
    expect(applyGuestStats(prev, stats('uuid:unknown', 5))).toBe(prev);
    expect(applyGuestStats(undefined, stats(a.id, 5))).toBeUndefined();
  });

  it('reaches the store\'s subscribers for the host it names', () => {
    const store = new Store();
    store.applyGuests({ hostId: 'h', upserted: [a, b], removed: [], reset: true });
    let calls = 0;
    store.subscribe(() => calls++);
    store.applyStats({ hostId: 'h', stats: stats(a.id, 33) });
    expect(store.getState().guests.get('h')?.get(a.id)?.cpuPercent).toBe(33);
    store.applyStats({ hostId: 'other', stats: stats(a.id, 34) });
    expect(calls).toBe(1);
  });
});

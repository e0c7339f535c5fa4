// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { applyGuestDelta, Store } from '../../../renderer/src/state/store';
import { guest } from './fixtures';

describe('applyGuestDelta', () => {
  const a = guest({ name: 'a' });
  const b = guest({ name: 'b' });
  const c = guest({ name: 'c' });

  it('reset replaces everything', () => {
    const prev = new Map([[a.id, a], [b.id, b]]);
    const next = applyGuestDelta(prev, { upserted: [c], removed: [], reset: true });
    expect([...next.keys()]).toEqual([c.id]);
  });

  it('reset keeps equal guests identical and returns the same map when nothing changed', () => {
    const prev = new Map([[a.id, a], [b.id, b]]);
    const same = applyGuestDelta(prev, { upserted: [{ ...a }, { ...b }], removed: [], reset: true });
    expect(same).toBe(prev);
    const changed = applyGuestDelta(prev, { upserted: [{ ...a }, { ...b, cpuPercent: 50 }], removed: [], reset: true });
    expect(changed).not.toBe(prev);
    expect(changed.get(a.id)).toBe(a);
    expect(changed.get(b.id)?.cpuPercent).toBe(50);
  });

  it('upsert adds and replaces, leaving untouched guests identical', () => {
    const prev = new Map([[a.id, a], [b.id, b]]);
    const b2 = { ...b, state: 'paused' as const };
    const next = applyGuestDelta(prev, { upserted: [b2, c], removed: [], reset: false });
    expect(next).not.toBe(prev);
    expect(next.get(a.id)).toBe(a);
    expect(next.get(b.id)).toBe(b2);
    expect(next.get(c.id)).toBe(c);
    expect(prev.get(b.id)).toBe(b); // the old snapshot is not mutated
    expect(prev.size).toBe(2);
  });

  it('an upsert equal to what we have is a no-op', () => {
    const prev = new Map([[a.id, a]]);
    expect(applyGuestDelta(prev, { upserted: [{ ...a, disks: [] }], removed: [], reset: false })).toBe(prev);
  });

  it('remove drops ids and ignores unknown ones', () => {
    const prev = new Map([[a.id, a], [b.id, b]]);
    const next = applyGuestDelta(prev, { upserted: [], removed: [a.id, 'uuid:nope'], reset: false });
    expect([...next.keys()]).toEqual([b.id]);
    expect(next.get(b.id)).toBe(b);
    expect(applyGuestDelta(prev, { upserted: [], removed: ['uuid:nope'], reset: false })).toBe(prev);
  });
});

describe('Store', () => {
  it('notifies on change only and keeps other hosts untouched', () => {
    const s = new Store();
    const listener = vi.fn();
    s.subscribe(listener);
    s.applyGuests({ hostId: 'h1', upserted: [guest({ name: 'a' })], removed: [], reset: true });
    s.applyGuests({ hostId: 'h2', upserted: [guest({ name: 'x' })], removed: [], reset: true });
    const h1 = s.getState().guests.get('h1');
    expect(listener).toHaveBeenCalledTimes(2);
    s.applyGuests({ hostId: 'h2', upserted: [guest({ name: 'y' })], removed: [], reset: false });
    expect(s.getState().guests.get('h1')).toBe(h1);
    expect(listener).toHaveBeenCalledTimes(3);
    s.applyGuests({ hostId: 'h2', upserted: [guest({ name: 'y' })], removed: [], reset: false });
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('handles 1,000 guests with a small delta quickly and keeps the other 999 identical', () => {
    const s = new Store();
    const many = Array.from({ length: 1000 }, (_, i) => guest({ name: `g${i}`, domid: i }));
    s.applyGuests({ hostId: 'h', upserted: many, removed: [], reset: true });
    const before = s.getState().guests.get('h')!;
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) {
      s.applyGuests({ hostId: 'h', upserted: [{ ...many[5], cpuPercent: i }], removed: [], reset: false });
    }
    expect(performance.now() - t0).toBeLessThan(500);
    const after = s.getState().guests.get('h')!;
    expect(after.size).toBe(1000);
    let same = 0;
    for (const [id, g] of after) if (before.get(id) === g) same++;
    expect(same).toBe(999);
  });

  it('tracks hosts: upsert, list and removal', () => {
    const s = new Store();
    s.setHosts([{ id: 'a', name: 'A', kind: 'local', state: 'disconnected' }]);
    s.upsertHost({ id: 'b', name: 'B', kind: 'local', state: 'connecting' });
    expect(s.getState().hosts.map((h) => h.id)).toEqual(['a', 'b']);
    s.applyGuests({ hostId: 'b', upserted: [guest({ name: 'z' })], removed: [], reset: true });
    s.removeHost('b');
    expect(s.getState().hosts.map((h) => h.id)).toEqual(['a']);
    expect(s.getState().guests.has('b')).toBe(false);
  });
});

// @vitest-environment jsdom
// A live update re-sorts the guest table only when a row can have moved.
import { describe, expect, it } from 'vitest';
import type { Guest } from '../../../electron/api/guests';
import { guest } from '../../../bench/renderer';
import { reorderInPlace, sortGuests } from '../../../renderer/src/components/GuestTable';

const map = (gs: Guest[]) => new Map(gs.map((g) => [g.id, g]));

describe('reorderInPlace', () => {
  const before = Array.from({ length: 50 }, (_, i) => guest(i, 1));
  const sorted = sortGuests(before, 'name', 'asc', '');

  it('reuses the order when only CPU % changed and the table is sorted by name', () => {
    const after = before.map((g) => (g.domid === null ? g : { ...g, cpuPercent: 7 }));
    const rows = reorderInPlace(sorted, map(after), 'name', '')!;
    expect(rows).not.toBeNull();
    expect(rows.map((g) => g.id)).toEqual(sortGuests(after, 'name', 'asc', '').map((g) => g.id));
    expect(rows[0]).toBe(after[0]);
  });

  it('asks for a sort when a changed value is the sort column, or guests came or went', () => {
    const byCpu = sortGuests(before, 'cpu', 'desc', '');
    const after = before.map((g, i) => (i === 3 ? { ...g, cpuPercent: 99 } : g));
    expect(reorderInPlace(byCpu, map(after), 'cpu', '')).toBeNull();
    expect(reorderInPlace(sorted, map([...before, guest(60, 1)]), 'name', '')).toBeNull();
    expect(reorderInPlace(sorted, map(before.slice(1)), 'name', '')).toBeNull();
    expect(reorderInPlace(sorted, map(before.map((g, i) => (i === 5 ? { ...g, name: 'zz' } : g))), 'name', '')).toBeNull();
  });

  it('keeps the filter: the same matching guests reuse the order', () => {
    const filtered = sortGuests(before, 'name', 'asc', 'g-001');
    const after = before.map((g) => ({ ...g, cpuPercent: g.cpuPercent === null ? null : 5 }));
    expect(reorderInPlace(filtered, map(after), 'name', 'g-001')!.map((g) => g.name)).toEqual(filtered.map((g) => g.name));
  });
});

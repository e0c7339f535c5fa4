// Which hosts are sampled at full rate: those a window says it shows live figures for, while its
// lease lasts. A window that goes away without a word stops counting when its lease runs out.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIVE_LEASE_MS, LiveViewers } from '../../../electron/hosts/liveViewers';

describe('LiveViewers', () => {
  let changes: string[];
  let viewers: LiveViewers;
  beforeEach(() => {
    vi.useFakeTimers();
    changes = [];
    viewers = new LiveViewers((id, watched) => changes.push(`${id}:${watched ? 'on' : 'off'}`));
  });
  afterEach(() => {
    viewers.dispose();
    vi.useRealTimers();
  });

  it('watches a host while any window shows it, and only says so when that flips', () => {
    viewers.set('window-aaaa', ['h1']);
    viewers.set('window-bbbb', ['h1', 'h2']);
    expect(changes).toEqual(['h1:on', 'h2:on']);
    viewers.set('window-bbbb', []);
    expect(changes).toEqual(['h1:on', 'h2:on', 'h2:off']);
    expect(viewers.isWatched('h1')).toBe(true);
    viewers.set('window-aaaa', []);
    expect(changes.at(-1)).toBe('h1:off');
    expect(viewers.isWatched('h1')).toBe(false);
  });

  it('stops watching when a window stops renewing, not before', () => {
    viewers.set('window-aaaa', ['h1']);
    vi.advanceTimersByTime(LIVE_LEASE_MS - 1000);
    viewers.set('window-aaaa', ['h1']); // renewed
    vi.advanceTimersByTime(LIVE_LEASE_MS - 1000);
    expect(viewers.isWatched('h1')).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(viewers.isWatched('h1')).toBe(false);
    expect(changes).toEqual(['h1:on', 'h1:off']);
  });
});

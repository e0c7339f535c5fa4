// A save image is out of date once the guest has run since it was written: restored from it, or
// started afresh. Only succeeded tasks on the same host count, and only after the image's time.
import { describe, expect, it } from 'vitest';
import type { SaveImage } from '../../../electron/api/lifecycle';
import type { Task } from '../../../electron/api/tasks';
import { staleBecause } from '../../../renderer/src/components/guest/saveFreshness';

const image: SaveImage = { path: '/var/lib/xen/save/web.save', guest: 'web', sizeBytes: 1, savedAt: 1_000_000 };
const task = (over: Partial<Task>): Task => ({
  id: Math.random().toString(36), hostId: 'h1', hostName: 'H', action: 'guest.restore', target: image.path, state: 'succeeded',
  startedAt: 1_000_500, endedAt: 1_001_000, progress: 1, cancellable: false, steps: [], ...over,
});

describe('staleBecause', () => {
  it('a succeeded restore of this file or a start of this guest after the save makes it stale', () => {
    const restore = task({});
    expect(staleBecause(image, 'web', 'h1', [restore])).toBe(restore);
    const start = task({ action: 'guest.start', target: 'web', endedAt: 2_000_000 });
    expect(staleBecause(image, 'web', 'h1', [restore, start])).toBe(start);
  });
  it('a failed restore, another host, another guest or an earlier start do not', () => {
    expect(staleBecause(image, 'web', 'h1', [
      task({ state: 'failed' }),
      task({ hostId: 'h2' }),
      task({ action: 'guest.start', target: 'db' }),
      task({ action: 'guest.start', target: 'web', startedAt: 900_000, endedAt: 950_000 }),
      task({ action: 'guest.save', target: 'web' }),
    ])).toBeNull();
  });
});

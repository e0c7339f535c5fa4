// The window's side of live figures: every component that shows them holds an interest; the
// backend hears the union, nothing while the window is hidden, and renewals before the lease ends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveInterest } from '../../../renderer/src/state/liveInterest';

class FakeDoc {
  visibilityState: DocumentVisibilityState = 'visible';
  private listeners: (() => void)[] = [];
  addEventListener(_type: string, fn: () => void) {
    this.listeners.push(fn);
  }
  removeEventListener() {}
  set(state: DocumentVisibilityState) {
    this.visibilityState = state;
    for (const l of this.listeners) l();
  }
}

describe('LiveInterest', () => {
  let calls: string[][];
  let doc: FakeDoc;
  let interest: LiveInterest;
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  beforeEach(() => {
    vi.useFakeTimers();
    calls = [];
    doc = new FakeDoc();
    const client = {
      call: vi.fn(async (_m: string, p: { hostIds: string[] }) => {
        calls.push(p.hostIds);
        return { leaseMs: 30_000 };
      }),
    };
    interest = new LiveInterest(client as never, doc as unknown as Document);
  });
  afterEach(() => vi.useRealTimers());

  it('sends the union of what is shown, once per change', async () => {
    const a = interest.hold('h1');
    const b = interest.hold('h1');
    const c = interest.hold('h2');
    await flush();
    expect(calls).toEqual([['h1', 'h2']]);
    a();
    c();
    await flush();
    expect(calls.at(-1)).toEqual(['h1']);
    b();
    b(); // a second release of the same hold changes nothing
    await flush();
    expect(calls.at(-1)).toEqual([]);
    expect(calls).toHaveLength(3);
  });

  it('a tab switch (one holder unmounts, the next mounts) sends nothing new', async () => {
    const table = interest.hold('h1');
    await flush();
    table();
    const cpu = interest.hold('h1');
    await flush();
    expect(calls).toEqual([['h1']]);
    cpu();
  });

  it('shows nothing while hidden, and renews before the lease ends while visible', async () => {
    interest.hold('h1');
    await flush();
    doc.set('hidden');
    await flush();
    expect(calls.at(-1)).toEqual([]);
    vi.advanceTimersByTime(60_000);
    await flush();
    expect(calls).toHaveLength(2); // nothing to renew while hidden
    doc.set('visible');
    await flush();
    expect(calls.at(-1)).toEqual(['h1']);
    vi.advanceTimersByTime(10_001); // a third of the 30 s lease
    await flush();
    expect(calls).toHaveLength(4);
    expect(calls.at(-1)).toEqual(['h1']);
  });
});

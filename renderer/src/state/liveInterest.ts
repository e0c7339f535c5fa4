// Tells the backend which hosts' live figures this window shows now (hosts.watchLive): the
// components that show them (the guest table, graphs, CPU) each hold an interest while mounted;
// while the window is hidden it shows nothing. The backend samples watched hosts once a second
// and the others slower, so an idle Domus costs the host little.
import { useEffect } from 'react';
import type { DomusClient } from '../api/client';
import { useClient } from '../api/context';

type Doc = Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;

export class LiveInterest {
  private readonly counts = new Map<string, number>();
  private readonly viewer: string;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSent = '';
  private renewMs = 15_000;

  constructor(
    private readonly client: Pick<DomusClient, 'call'>,
    private readonly doc: Doc = document,
  ) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    this.viewer = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    doc.addEventListener('visibilitychange', () => this.send(true));
  }

  /** One component shows hostId's live figures until the returned function is called. */
  hold(hostId: string): () => void {
    this.counts.set(hostId, (this.counts.get(hostId) ?? 0) + 1);
    this.soon();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const n = (this.counts.get(hostId) ?? 1) - 1;
      if (n > 0) this.counts.set(hostId, n);
      else this.counts.delete(hostId);
      this.soon();
    };
  }

  /** After this task: a tab switch unmounts one holder and mounts the next in the same commit. */
  private soon(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.send(false);
    });
  }
  private queued = false;

  private shown(): string[] {
    return this.doc.visibilityState === 'hidden' ? [] : [...this.counts.keys()].sort();
  }

  /** Sends the interest when it changed (or always, to renew), then renews before the lease ends. */
  private send(force: boolean): void {
    const hostIds = this.shown();
    const key = hostIds.join(' ');
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (force || key !== this.lastSent) {
      this.lastSent = key;
      Promise.resolve()
        .then(() => this.client.call('hosts.watchLive', { viewer: this.viewer, hostIds }))
        .then((r) => {
          if (typeof r?.leaseMs === 'number') this.renewMs = Math.max(1000, Math.floor(r.leaseMs / 3));
        })
        .catch(() => undefined); // an older backend, or none: it samples at its own rate
    }
    if (hostIds.length) this.timer = setTimeout(() => this.send(true), this.renewMs);
  }
}

const perClient = new WeakMap<object, LiveInterest>();

/** Holds an interest in hostId's live figures while the calling component is mounted. */
export function useLiveFigures(hostId: string | null): void {
  const client = useClient();
  useEffect(() => {
    if (!hostId) return;
    let interest = perClient.get(client);
    if (!interest) perClient.set(client, (interest = new LiveInterest(client)));
    return interest.hold(hostId);
  }, [client, hostId]);
}

// Keeps the store in step with the backend: the initial lists, then events. Loads HostInfo and the
// guest list whenever a host (re)connects, and everything again after the backend link returns.
import type { HostSummary } from '../../../electron/api/hosts';
import { toClientError, type ApiClientError, type DomusClient } from '../api/client';
import type { Store } from './store';

export interface SyncOptions {
  onError?: (err: ApiClientError) => void;
}

export function startSync(client: DomusClient, store: Store, opts: SyncOptions = {}): () => void {
  const report = (err: unknown) => opts.onError?.(toClientError(err));
  /** Last state we loaded live data for, per host, to spot transitions into 'connected'. */
  const lastState = new Map<string, HostSummary['state']>();
  let generation = 0;

  function loadLive(hostId: string) {
    const gen = generation;
    client
      .call('host.info', { hostId })
      .then((info) => {
        if (gen === generation) store.setInfo(hostId, info);
      })
      .catch(report);
    client
      .call('guests.list', { hostId })
      .then((guests) => {
        if (gen === generation) store.applyGuests({ hostId, upserted: guests, removed: [], reset: true });
      })
      .catch(report);
  }

  function onSummary(h: HostSummary) {
    const before = lastState.get(h.id);
    lastState.set(h.id, h.state);
    if (h.state === 'connected' && before !== 'connected') loadLive(h.id);
    if (h.state === 'disconnected' && before !== 'disconnected') store.clearLive(h.id);
  }

  function loadAll() {
    generation++;
    lastState.clear();
    client
      .call('hosts.list', {})
      .then((hosts) => {
        store.setHosts(hosts);
        for (const h of hosts) onSummary(h);
      })
      .catch(report);
    client
      .call('tasks.list', {})
      .then((tasks) => store.setTasks(tasks))
      .catch(report);
  }

  const offs = [
    client.on('task.progress', (t) => store.upsertTask(t)),
    client.on('connection.state', (p) => {
      if (p.removed) {
        lastState.delete(p.id);
        store.removeHost(p.id);
        return;
      }
      const { removed: _removed, ...summary } = p;
      store.upsertHost(summary);
      onSummary(summary);
    }),
    client.on('host.changed', (p) => store.setInfo(p.hostId, p.info)),
    client.on('guests.changed', (p) => store.applyGuests(p)),
    client.on('guests.stats', (p) => store.applyStats(p)),
    client.onStatus((s) => {
      if (s === 'open') loadAll();
    }),
  ];
  if (client.status() === 'open') loadAll();
  return () => offs.forEach((off) => off());
}

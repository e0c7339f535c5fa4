// The CPU overview of a host (topology, pools, per-domain scheduling), re-read on demand.
import { useCallback, useEffect, useState } from 'react';
import type { CpuOverview, VcpuPlacement } from '../../../../electron/api/cpu';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';

export function useCpuOverview(hostId: string, connected: boolean) {
  const client = useClient();
  const [overview, setOverview] = useState<CpuOverview | null>(null);
  const [error, setError] = useState<ApiClientError | null>(null);
  const reload = useCallback(async () => {
    if (!connected) return;
    try {
      setOverview(await client.call('cpu.overview', { hostId }));
      setError(null);
    } catch (e) {
      setError(toClientError(e));
    }
  }, [client, hostId, connected]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { overview, error, reload };
}

/** `xl vcpu-list` every intervalMs while the component using it is mounted; stops when closed. */
export function useVcpuPolling(hostId: string, connected: boolean, intervalMs = 2000) {
  const client = useClient();
  const [vcpus, setVcpus] = useState<VcpuPlacement[] | null>(null);
  const [error, setError] = useState<ApiClientError | null>(null);
  useEffect(() => {
    if (!connected) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = async () => {
      try {
        const v = await client.call('cpu.vcpus', { hostId });
        if (!stopped) {
          setVcpus(v);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(toClientError(e));
      }
      // The next read starts after this one ended: a slow host never piles up requests.
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [client, hostId, connected, intervalMs]);
  return { vcpus, error };
}

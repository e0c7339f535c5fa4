// The host's PCI inventory (pci.list), read when the view opens and again after each change. One
// read at a time: the probe costs dom0 a few seconds (more under the lab's emulation), so a reload
// asked for while one runs is done once after it, and an older answer never replaces a newer one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PciInventory } from '../../../../electron/api/pci';
import { useClient } from '../../api/context';
import type { ApiClientError } from '../../api/client';

/**
 * key: when given, a change of it reads the inventory again (e.g. the guest was started or stopped
 * elsewhere), as the mount does.
 */
export function usePciInventory(hostId: string, connected: boolean, key?: string) {
  const client = useClient();
  const [inv, setInv] = useState<PciInventory | null>(null);
  const [error, setError] = useState<ApiClientError | null>(null);
  const [loading, setLoading] = useState(false);
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const reload = useCallback((): Promise<void> => {
    if (!connected) return Promise.resolve();
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const once = async () => {
      do {
        again.current = false;
        try {
          const next = await client.call('pci.list', { hostId });
          if (alive.current) {
            setInv(next);
            setError(null);
          }
        } catch (e) {
          if (alive.current) setError(e as ApiClientError);
        }
      } while (again.current && alive.current);
    };
    setLoading(true);
    running.current = once().finally(() => {
      running.current = null;
      if (alive.current) setLoading(false);
    });
    return running.current;
  }, [client, hostId, connected]);
  useEffect(() => {
    void reload();
  }, [reload, key]);
  return { inv, error, loading, reload };
}

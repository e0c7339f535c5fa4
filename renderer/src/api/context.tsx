import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { BackendStatus, DomusClient } from './client';

const ClientContext = createContext<DomusClient | null>(null);

export function ClientProvider({ client, children }: { client: DomusClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): DomusClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside ClientProvider');
  return c;
}

export function useBackendStatus(): BackendStatus {
  const c = useClient();
  return useSyncExternalStore(
    (cb) => c.onStatus(cb),
    () => c.status(),
  );
}

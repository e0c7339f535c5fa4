import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { State, Store } from './store';

const StoreContext = createContext<Store | null>(null);

export function StoreProvider({ store, children }: { store: Store; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStoreInstance(): Store {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useStore outside StoreProvider');
  return s;
}

/** Subscribes to a slice; the selector must return an existing object or a primitive. */
export function useStore<T>(selector: (s: State) => T): T {
  const store = useStoreInstance();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}

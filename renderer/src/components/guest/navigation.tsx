// What the app shell gives guest views: opening a guest's page, and reporting an error at the top
// of the page. Provided by App; the guest table and the guest page use it.
import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClientError } from '../../api/client';

export interface GuestNavigation {
  openGuest(hostId: string, guestId: string): void;
  notify(err: ApiClientError): void;
}

const Ctx = createContext<GuestNavigation | null>(null);

export function GuestNavigationProvider({ value, children }: { value: GuestNavigation; children: ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** Null outside the app shell (e.g. a component test): views then just do not link. */
export function useGuestNavigation(): GuestNavigation | null {
  return useContext(Ctx);
}

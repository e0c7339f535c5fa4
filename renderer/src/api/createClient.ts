import type { DomusClient } from './client';
import { pageKeyProtocols, takePageKey } from './pageKey';
import { createPreloadClient } from './preloadClient';
import { createWsClient } from './wsClient';

/** Electron's preload bridge when it is there, else the browser-mode WebSocket. */
export function createClient(): DomusClient {
  if (typeof window !== 'undefined' && window.domus) return createPreloadClient(window.domus);
  return createWsClient({ protocols: pageKeyProtocols(takePageKey()) });
}

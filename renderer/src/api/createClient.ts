import type { DomusClient } from './client';
import { pageKeyProtocols, takePageKey } from './pageKey';
import { createPreloadClient } from './preloadClient';
import { createWsClient } from './wsClient';

/**
 * Electron's preload bridge when it is there, else the browser-mode WebSocket; null in a browser
 * tab that holds no page key (the server would refuse every connection it tried).
 */
export function createClient(): DomusClient | null {
  if (typeof window !== 'undefined' && window.domus) return createPreloadClient(window.domus);
  const key = takePageKey();
  return key ? createWsClient({ protocols: pageKeyProtocols(key) }) : null;
}

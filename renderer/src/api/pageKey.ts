// Browser mode's page key (see electron/api/wire.ts): the second secret, beside the session
// cookie, that opens the API. Sign-in redirects to /#domus-key=<key>; the page moves the key
// into sessionStorage and out of the address bar. sessionStorage, not a cookie and not
// localStorage: it belongs to this tab and this exact origin (port included), is never sent to
// any server, survives a reload, is copied into windows this page opens (console windows), and
// is gone with the tab. A tab opened by hand has the cookie but no key: it cannot use the API.
import { PAGE_KEY_FRAGMENT, WS_KEY_PREFIX, WS_PROTOCOL } from '../../../electron/api/wire';

export const PAGE_KEY_STORAGE = 'domus.pageKey';
const FRAGMENT = new RegExp(`^#${PAGE_KEY_FRAGMENT}=([A-Za-z0-9_-]{43})$`);

type PageWindow = Pick<Window, 'location' | 'history' | 'sessionStorage'>;

/** The key this tab holds, taking it from the sign-in fragment first; null when it has none. */
export function takePageKey(win: PageWindow = window): string | null {
  const m = FRAGMENT.exec(win.location.hash);
  if (m) {
    const key = m[1]!;
    try {
      win.sessionStorage.setItem(PAGE_KEY_STORAGE, key);
    } catch {
      // Storage disabled: the key lives in this page's memory only, until a reload.
    }
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${win.location.search}`);
    return key;
  }
  try {
    return win.sessionStorage.getItem(PAGE_KEY_STORAGE);
  } catch {
    return null;
  }
}

/** The subprotocols a WebSocket to the Domus server offers: the protocol, and the key if held. */
export function pageKeyProtocols(key: string | null): string[] {
  return key ? [WS_PROTOCOL, `${WS_KEY_PREFIX}${key}`] : [WS_PROTOCOL];
}

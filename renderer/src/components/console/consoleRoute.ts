// Where a console in its own window points: #/console/<host>/<guest>[/text|/vnc] (pure, so the
// main entry point and tests can read it without the components).
import type { ConsoleKind } from '../../../../electron/api/consoles';

export interface ConsoleRoute {
  hostId: string;
  guest: string;
  kind: ConsoleKind;
}

const ROUTE = /^#\/console\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_][A-Za-z0-9_.-]{0,63})(?:\/(text|vnc))?$/;

/** The console a window's hash asks for, or null for the main window. */
export function parseConsoleRoute(hash: string): ConsoleRoute | null {
  const m = ROUTE.exec(hash);
  if (!m) return null;
  return { hostId: m[1]!, guest: m[2]!, kind: (m[3] as ConsoleKind | undefined) ?? 'text' };
}

export function consoleRouteHash(r: ConsoleRoute): string {
  return `#/console/${r.hostId}/${r.guest}/${r.kind}`;
}

/** Opens the console in a window of its own; false when the browser blocked the window. */
export function openConsoleWindow(r: ConsoleRoute): boolean {
  const url = `${location.origin}${location.pathname}${location.search}${consoleRouteHash(r)}`;
  // A name per console: asking twice brings the same window back instead of a second one.
  const w = window.open(url, `domus-console-${r.hostId}-${r.guest}-${r.kind}`, 'popup,width=1000,height=720');
  return w !== null;
}


// The one Content-Security-Policy of the Domus renderer. The Electron adapter (main.ts) and the
// browser-mode adapter (serve.ts) both send it, so the renderer runs under the same rules in
// both: no inline or remote script, no plugins, no framing, no <base>, no form posts, and
// network access only to the app's own origin (plus, in browser mode, its own WebSocket).

export interface CspOptions {
  /**
   * Extra connect-src sources beyond 'self'. Browser mode passes its exact WebSocket origin
   * (ws://127.0.0.1:<port>), because not every browser counts ws: as 'self'.
   */
  connect?: readonly string[];
  /**
   * Development only (electron-vite dev server): the dev server's origin, e.g.
   * http://localhost:5173. Allows its scripts, HMR WebSocket and the React refresh preamble
   * (an inline script). Never set in a packaged app or in browser mode.
   */
  devServerOrigin?: string;
}

const SOURCE = /^(?:'self'|(?:https?|wss?):\/\/[A-Za-z0-9.[\]:-]+)$/;

export function buildCsp(opts: CspOptions = {}): string {
  const connect = ["'self'", ...(opts.connect ?? [])];
  const script = ["'self'"];
  if (opts.devServerOrigin) {
    const http = new URL(opts.devServerOrigin);
    const ws = `${http.protocol === 'https:' ? 'wss' : 'ws'}://${http.host}`;
    connect.push(http.origin, ws);
    script.push(http.origin, "'unsafe-inline'");
  }
  for (const s of [...connect, ...script]) {
    if (s !== "'unsafe-inline'" && !SOURCE.test(s)) throw new Error(`Not a CSP source: ${s}`);
  }
  return [
    "default-src 'none'",
    `script-src ${script.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Browser mode: connect-src 'self' ws://127.0.0.1:<port>. */
export function browserModeCsp(port: number): string {
  return buildCsp({ connect: [`ws://127.0.0.1:${port}`] });
}

/** Headers that go with the CSP on every renderer response, in both adapters. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

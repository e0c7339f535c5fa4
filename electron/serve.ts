// Browser-mode adapter: the same API as the Electron app, over loopback HTTP + one WebSocket.
// Plain Node, no electron.
//
// Who may talk to it: only a browser that opened the one-time URL printed at start.
//  - binds 127.0.0.1 only; Host must be 127.0.0.1:<port> or localhost:<port> (DNS rebinding);
//  - any Origin header other than http://127.0.0.1:<port> is refused (CSRF, cross-site WS), and
//    a WebSocket upgrade must carry one (browsers always send it; a bare client is not a page);
//  - GET /?token=<one-time token> sets an HttpOnly SameSite=Strict session cookie and
//    forwards the page to /#domus-key=<page key>; the token is then spent. Pages and assets need the
//    cookie; the API and streams (WebSockets) need the cookie AND the page key, offered as a
//    subprotocol. Cookies are scoped by host, not port, so any other server on 127.0.0.1 the
//    browser visits receives the cookie: the page key, which never sits in a cookie, is what
//    such a server lacks.
// The renderer is served with the same CSP as the Electron app.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { browserModeCsp, securityHeaders } from './api/csp';
import { createDispatcher, describeIssues, type Dispatch, type EventBus } from './api/dispatcher';
import type { Backend } from './api/methods';
import {
  CallMessage,
  PAGE_KEY_FRAGMENT,
  STREAM_PATH,
  WS_KEY_PREFIX,
  WS_PROTOCOL,
  type ResultMessage,
  type ServerMessage,
} from './api/wire';
import type { StreamRegistry } from './streams/registry';
import { attachStreamSocket, streamQuery } from './streams/wsTransport';
import { lookupStatic } from './static';

export const LOOPBACK = '127.0.0.1';
export const API_PATH = '/api';
/** Largest WebSocket message accepted from the page; bigger ones close the socket (1009). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A socket that falls this far behind on events is closed rather than buffering forever. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** This many unusable frames in a row and the socket is closed with 1008. */
const MAX_BAD_FRAMES = 20;

export interface ServeOptions {
  /** A backend with `streams` also serves byte streams (consoles) at /stream. */
  backend: Backend & { streams?: StreamRegistry };
  bus: EventBus;
  /** 0 or absent: a free port chosen by the OS. */
  port?: number;
  /** The built renderer (out/renderer), with index.html at its top. */
  staticDir: string;
  /** Only '127.0.0.1' is accepted; anything else is refused. */
  host?: '127.0.0.1';
  /** Validate backend results against the contract (default: unless NODE_ENV=production). */
  validateOutput?: boolean;
  /** Called once, when a browser spends the one-time token. */
  onSignIn?: () => void;
}

export interface ServeHandle {
  /** http://127.0.0.1:<port>/?token=<one-time token>: open it once, in one browser. */
  url: string;
  port: number;
  /** Resolves when the server, every socket and the bus subscription are closed. */
  close(): Promise<void>;
}


/** Constant time, length included: both sides are hashed to 32 bytes before comparing. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The page key a WebSocket handshake offers as a subprotocol, if any. */
function offeredKey(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  for (const p of header.split(',')) {
    const v = p.trim();
    if (v.startsWith(WS_KEY_PREFIX)) return v.slice(WS_KEY_PREFIX.length);
  }
  return undefined;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export async function startServer(opts: ServeOptions): Promise<ServeHandle> {
  const requestedHost: string = opts.host ?? LOOPBACK;
  if (requestedHost !== LOOPBACK) {
    throw new Error(`Domus browser mode listens on ${LOOPBACK} only; refusing host ${JSON.stringify(requestedHost)}.`);
  }
  const root = await fs.realpath(path.resolve(opts.staticDir));
  await fs.access(path.join(root, 'index.html')).catch(() => {
    throw new Error(`No built renderer in ${root} (index.html is missing). Run \`npm run build\` first.`);
  });

  const dispatch: Dispatch = createDispatcher(opts.backend, { validateOutput: opts.validateOutput });
  const token = randomBytes(32).toString('base64url');
  let tokenSpent = false;
  /** Session id (the cookie) → its page key (held by the page, never in a cookie). */
  const sessions = new Map<string, string>();
  const sockets = new Set<WebSocket>();
  let port = 0;
  let origin = '';
  let cookieName = 'domus_session';
  let csp = '';

  const allowedHost = (host: string | undefined) => host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
  // A top-level navigation carries no Origin, so plain HTTP allows its absence; upgrades do not.
  const allowedOrigin = (o: string | undefined) => o === undefined || o === origin;
  const sessionOf = (req: IncomingMessage): { key: string } | undefined => {
    const id = parseCookies(req.headers.cookie).get(cookieName);
    if (!id) return undefined;
    let found: { key: string } | undefined;
    for (const [s, key] of sessions) if (sameSecret(s, id)) found = { key };
    return found;
  };
  const hasSession = (req: IncomingMessage) => sessionOf(req) !== undefined;
  /** The cookie and the page key of the same session: what a WebSocket needs. */
  const hasKeyedSession = (req: IncomingMessage) => {
    const session = sessionOf(req);
    const key = offeredKey(req);
    return session !== undefined && key !== undefined && sameSecret(session.key, key);
  };

  function send(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}) {
    res.writeHead(status, {
      ...securityHeaders(csp),
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, rawPath: string) {
    const found = await lookupStatic(root, rawPath);
    if (found.status !== 200) {
      return send(res, found.status, found.status === 404 ? 'Not found.\n' : found.status === 403 ? 'Forbidden.\n' : 'Bad request.\n');
    }
    const isHtml = found.type.startsWith('text/html');
    res.writeHead(200, {
      ...securityHeaders(csp),
      'Content-Type': found.type,
      'Content-Length': String(found.size),
      'Cache-Control': isHtml ? 'no-store' : 'private, max-age=3600',
    });
    if (req.method === 'HEAD') return res.end();
    res.end(await fs.readFile(found.file));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!allowedHost(req.headers.host)) return send(res, 403, 'Forbidden: unexpected Host header.\n');
    if (!allowedOrigin(req.headers.origin)) return send(res, 403, 'Forbidden: cross-origin request.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.\n', { Allow: 'GET, HEAD' });

    const rawPath = (req.url ?? '/').split('?')[0];
    let query: URLSearchParams;
    try {
      query = new URL(req.url ?? '/', origin).searchParams;
    } catch {
      return send(res, 400, 'Bad request.\n');
    }

    const offered = query.get('token');
    if (offered !== null) {
      if (hasSession(req)) return send(res, 303, 'See /.\n', { Location: '/' });
      if (tokenSpent || !sameSecret(offered, token)) {
        return send(
          res,
          403,
          'This Domus link is not valid or has already been used. Restart `npm run serve` for a new one.\n',
        );
      }
      tokenSpent = true;
      const id = randomBytes(32).toString('base64url');
      const key = randomBytes(32).toString('base64url');
      sessions.set(id, key);
      opts.onSignIn?.();
      // The fragment stays in the browser: the page reads it, keeps it and removes it from the URL.
      // A page that refreshes rather than a 303: when the link was opened from a file (serve-cli
      // --open), a redirect would still count as a cross-site navigation and the SameSite=Strict
      // cookie just set would not go along; a refresh from this origin is same-site.
      const next = `/#${PAGE_KEY_FRAGMENT}=${key}`;
      return send(
        res,
        200,
        `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${next}"><title>Domus</title><p>Signed in. <a href="${next}">Open Domus</a>.</p>\n`,
        {
          'Content-Type': 'text/html; charset=utf-8',
          'Set-Cookie': `${cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`,
        },
      );
    }
    if (!hasSession(req)) {
      return send(res, 401, 'Open the link that `npm run serve` printed (it carries a one-time token).\n');
    }
    if (rawPath === API_PATH) return send(res, 426, 'This address is the WebSocket API.\n', { Upgrade: 'websocket' });
    await serveStatic(req, res, rawPath);
  }

  // ---------------------------------------------------------------------------------------------
  // WebSocket API

  // The answer names WS_PROTOCOL, never the key (a browser fails a handshake that offered
  // subprotocols and got none back).
  const wsOptions = {
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  } as const;
  const wss = new WebSocketServer(wsOptions);
  const streamWss = new WebSocketServer(wsOptions);

  function reject(socket: Duplex, status: number, text: string) {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    socket.on('error', () => socket.destroy());
    if (!allowedHost(req.headers.host)) return reject(socket, 403, 'Forbidden');
    if (req.headers.origin !== origin) return reject(socket, 403, 'Forbidden');
    const wsPath = (req.url ?? '').split('?')[0];
    if (wsPath === STREAM_PATH && opts.backend.streams) {
      // A byte stream: the session cookie, the page key AND the stream's one-time token.
      if (!hasKeyedSession(req)) return reject(socket, 401, 'Unauthorized');
      const q = streamQuery(req.url ?? '', origin);
      if (!q || !opts.backend.streams.canAttach(q.id, q.token)) return reject(socket, 403, 'Forbidden');
      const streams = opts.backend.streams;
      return streamWss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        attachStreamSocket(streams, q.id, q.token, ws);
      });
    }
    if (wsPath !== API_PATH) return reject(socket, 404, 'Not Found');
    if (!hasKeyedSession(req)) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  }

  function post(ws: WebSocket, msg: ServerMessage) {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(1008, 'Client too slow');
      return;
    }
    ws.send(JSON.stringify(msg));
  }

  function onSocket(ws: WebSocket) {
    sockets.add(ws);
    let badFrames = 0;
    const bad = (id: number, message: string) => {
      post(ws, { type: 'result', id, ok: false, error: { code: 'invalid_input', message } });
      if (++badFrames >= MAX_BAD_FRAMES) ws.close(1008, 'Too many malformed messages');
    };
    ws.on('error', () => ws.terminate());
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(1003, 'Text frames only');
      let json: unknown;
      try {
        json = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString());
      } catch {
        return bad(-1, 'The message is not valid JSON.');
      }
      const call = CallMessage.safeParse(json);
      if (!call.success) {
        // Answer with the caller's id when it gave a usable one, so its promise settles.
        const rawId = (json as { id?: unknown } | null)?.id;
        const id = typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 0 ? rawId : -1;
        return bad(id, `The message is not a valid call: ${describeIssues(call.error)}.`);
      }
      badFrames = 0;
      const { id, method, params } = call.data;
      dispatch(method, params).then(
        (result) => post(ws, { type: 'result', id, ...result } as ResultMessage),
        // dispatch never rejects; this is belt and braces.
        () => post(ws, { type: 'result', id, ok: false, error: { code: 'internal', message: 'Something went wrong inside Domus.' } }),
      );
    });
  }

  const unsubscribe = opts.bus.subscribe((msg) => {
    for (const ws of sockets) post(ws, msg);
  });

  // ---------------------------------------------------------------------------------------------

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error.\n');
      else res.destroy();
    });
  });
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket) => reject(socket, 400, 'Bad Request'));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject_) => {
    server.once('error', reject_);
    server.listen({ host: LOOPBACK, port: opts.port ?? 0, exclusive: true }, () => {
      server.off('error', reject_);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://${LOOPBACK}:${port}`;
  cookieName = `domus_session_${port}`; // cookies ignore ports; two Domus servers must not collide
  csp = browserModeCsp(port);

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${token}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        for (const ws of sockets) ws.close(1001, 'Domus is shutting down');
        wss.close();
        streamWss.close();
        server.close(() => resolve());
        server.closeAllConnections();
        setTimeout(() => {
          for (const ws of sockets) ws.terminate();
        }, 1000).unref();
      });
      return closing;
    },
  };
}

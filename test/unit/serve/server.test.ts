// Browser-mode adapter against a real server on a real loopback port.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { browserModeCsp } from '../../../electron/api/csp';
import { EventBus } from '../../../electron/api/dispatcher';
import type { ServerMessage } from '../../../electron/api/wire';
import { startServer, type ServeHandle } from '../../../electron/serve';
import { StreamRegistry } from '../../../electron/streams/registry';
import { host, testBackend } from './helpers';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-RENDERER';
let dir: string;
let staticDir: string;
let server: ServeHandle;
let bus: EventBus;
let token: string;
let cookie: string; // "name=value"
let pageKey: string; // the second secret, delivered in the sign-in redirect's fragment
let origin: string;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path goes on the wire exactly as given (no URL normalisation). */
function request(rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: rawPath, method, headers: { Host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const authed = (extra: Record<string, string> = {}) => ({ Cookie: cookie, ...extra });
/** What the page offers on its handshake: the protocol and the key it holds in memory. */
const keyed = () => ['domus.v1', `domus.key.${pageKey}`];

function openSocket(headers: Record<string, string>, wsPath = '/api', protocols: string[] = keyed()): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${wsPath}`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, match: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      if (match(m)) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

async function call(ws: WebSocket, id: number, method: string, params: unknown) {
  const reply = nextMessage(ws, (m) => m.type === 'result' && m.id === id);
  ws.send(JSON.stringify({ type: 'call', id, method, params }));
  return reply;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'domus-serve-'));
  staticDir = path.join(dir, 'renderer');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Domus</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("domus")');
  writeFileSync(path.join(staticDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  bus = new EventBus();
  server = await startServer({ backend: testBackend(), bus, staticDir, host: '127.0.0.1' });
  token = new URL(server.url).searchParams.get('token')!;
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startup', () => {
  it('prints a loopback URL with a 32-byte base64url token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });

  it('refuses any host but 127.0.0.1', async () => {
    for (const h of ['0.0.0.0', '::', 'localhost', '192.168.1.2']) {
      await expect(startServer({ backend: testBackend(), bus, staticDir, host: h as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1 only/);
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.address !== '127.0.0.1')
      .map((i) => i!.address);
    for (const address of ['::1', ...others]) {
      const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
        const s = net.connect({ host: address, port: server.port });
        s.once('connect', () => {
          s.destroy();
          resolve(undefined);
        });
        s.once('error', (e) => resolve(e));
      });
      expect(err, `reachable on ${address}`).toBeDefined();
    }
  });

  it('refuses to start without a built renderer', async () => {
    await expect(startServer({ backend: testBackend(), bus, staticDir: path.join(dir, 'nope') })).rejects.toThrow();
  });
});

describe('sign-in with the one-time token', () => {
  it('answers 401 to a request without token or session', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request('/assets/app.js')).status).toBe(401);
  });

  it('refuses a wrong token', async () => {
    const r = await request(`/?token=${'A'.repeat(43)}`);
    expect(r.status).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect((await request('/?token=')).status).toBe(403);
  });

  it('accepts the token once: session cookie, forwards to / without the token, a page key in the fragment', async () => {
    const r = await request(`/?token=${token}`);
    // A page that forwards itself (meta refresh): same-site, so the Strict cookie goes along.
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(browserModeCsp(server.port));
    const next = /<meta http-equiv="refresh" content="0;url=(\/#domus-key=([A-Za-z0-9_-]{43}))">/.exec(r.body);
    expect(next, r.body).not.toBeNull();
    pageKey = next![2]!;
    expect(pageKey).not.toBe(token);
    expect(r.headers['set-cookie']?.[0]).not.toContain(pageKey);
    const set = r.headers['set-cookie']?.[0] ?? '';
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\//);
    cookie = set.split(';')[0];
    const value = cookie.split('=')[1];
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(value).not.toBe(token);
  });

  it('refuses the spent token', async () => {
    const r = await request(`/?token=${token}`);
    expect(r.status).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a made-up session cookie', async () => {
    const name = cookie.split('=')[0];
    expect((await request('/', { Cookie: `${name}=${'B'.repeat(43)}` })).status).toBe(401);
  });
});

describe('HTTP with a session', () => {
  it('serves index.html with the strict CSP and the other security headers', async () => {
    const r = await request('/', authed());
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Domus</title>');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(browserModeCsp(server.port));
    expect(r.headers['content-security-policy']).toBe(
      `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws://127.0.0.1:${server.port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect((await request('/index.html', authed())).headers['content-security-policy']).toBe(browserModeCsp(server.port));
  });

  it('serves assets with their MIME types', async () => {
    const js = await request('/assets/app.js', authed());
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request('/assets/app.css', authed())).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('falls back to index.html for client-side routes, 404 for a missing asset', async () => {
    const route = await request('/hosts/lab', authed());
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Domus</title>');
    expect((await request('/assets/missing.js', authed())).status).toBe(404);
  });

  it('redirects a signed-in browser that reopens the token link', async () => {
    const r = await request(`/?token=${token}`, authed());
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/'); // the cookie alone never earns the page key
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign or null Origin, accepts its own', async () => {
    expect((await request('/', authed({ Origin: 'http://evil.example' }))).status).toBe(403);
    expect((await request('/', authed({ Origin: 'null' }))).status).toBe(403);
    expect((await request('/', authed({ Origin: `http://localhost:${server.port}` }))).status).toBe(403);
    expect((await request('/', authed({ Origin: origin }))).status).toBe(200);
  });

  it('refuses a Host that is not 127.0.0.1:<port> or localhost:<port> (DNS rebinding)', async () => {
    expect((await request('/', authed({ Host: `evil.example:${server.port}` }))).status).toBe(403);
    expect((await request('/', authed({ Host: '127.0.0.1' }))).status).toBe(403);
    expect((await request('/', authed({ Host: `127.0.0.1:${server.port + 1}` }))).status).toBe(403);
    expect((await request('/', authed({ Host: `localhost:${server.port}` }))).status).toBe(200);
  });

  it('allows only GET and HEAD', async () => {
    expect((await request('/', authed(), 'POST')).status).toBe(405);
    const head = await request('/', authed(), 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses path traversal, raw or encoded', async () => {
    for (const p of [
      '/../package.json',
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2E%2E%5Csecret.txt',
      '/..\\secret.txt',
      '/%00index.html',
      '/%zz',
    ]) {
      const r = await request(p, authed());
      expect([400, 403], p).toContain(r.status);
      expect(r.body).not.toContain(SECRET);
    }
  });
});

describe('WebSocket /api', () => {
  it('needs the session cookie', async () => {
    await expect(openSocket({ Origin: origin })).rejects.toThrow('HTTP 401');
    await expect(openSocket({ Origin: origin, Cookie: `${cookie.split('=')[0]}=forged` })).rejects.toThrow('HTTP 401');
  });

  it('needs the page key beside the cookie: a replayed cookie alone gets nothing', async () => {
    await expect(openSocket(authed({ Origin: origin }), '/api', [])).rejects.toThrow('HTTP 401');
    await expect(openSocket(authed({ Origin: origin }), '/api', ['domus.v1'])).rejects.toThrow('HTTP 401');
    await expect(openSocket(authed({ Origin: origin }), '/api', ['domus.v1', `domus.key.${'C'.repeat(43)}`])).rejects.toThrow('HTTP 401');
    await expect(openSocket(authed({ Origin: origin }), '/api', ['domus.v1', 'domus.key.short'])).rejects.toThrow('HTTP 401');
    // The key without the cookie is not enough either.
    await expect(openSocket({ Origin: origin })).rejects.toThrow('HTTP 401');
    const ws = await openSocket(authed({ Origin: origin }));
    expect(ws.protocol).toBe('domus.v1'); // the key is never echoed back
    ws.close();
  });

  it('refuses an upgrade without an Origin, even with cookie and key', async () => {
    await expect(openSocket(authed())).rejects.toThrow('HTTP 403');
  });

  it('refuses a foreign Origin and a bad Host even with the cookie', async () => {
    await expect(openSocket(authed({ Origin: 'http://evil.example' }))).rejects.toThrow('HTTP 403');
    await expect(openSocket(authed({ Origin: origin, Host: `evil.example:${server.port}` }))).rejects.toThrow('HTTP 403');
  });

  it('lives at /api only', async () => {
    await expect(openSocket(authed({ Origin: origin }), '/other')).rejects.toThrow('HTTP 404');
  });

  it('answers calls; bad frames get invalid_input and the socket keeps serving', async () => {
    const ws = await openSocket(authed({ Origin: origin }));
    try {
      expect(await call(ws, 1, 'app.info', {})).toEqual({
        type: 'result',
        id: 1,
        ok: true,
        value: { version: '0.0.0-test', mode: 'browser', localXen: false, startupProblems: [] },
      });

      const garbage = nextMessage(ws);
      ws.send('{ this is not json');
      expect(await garbage).toMatchObject({ type: 'result', id: -1, ok: false, error: { code: 'invalid_input' } });

      const notACall = nextMessage(ws);
      ws.send(JSON.stringify({ type: 'call', id: 7, method: 42 }));
      expect(await notACall).toMatchObject({ type: 'result', id: 7, ok: false, error: { code: 'invalid_input' } });

      const badParams = await call(ws, 2, 'hosts.remove', { hostId: 'no/slashes' });
      expect(badParams).toMatchObject({ id: 2, ok: false, error: { code: 'invalid_input' } });
      expect(badParams.type === 'result' && !badParams.ok && badParams.error.message).toContain('hostId');

      const unknown = await call(ws, 3, 'hosts.explode', {});
      expect(unknown).toMatchObject({ id: 3, ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^Unknown method/) } });

      expect(await call(ws, 4, 'hosts.connect', { hostId: 'lab2' })).toMatchObject({
        id: 4,
        ok: false,
        error: { code: 'not_found', detail: 'lookup: lab2' },
      });

      expect(await call(ws, 5, 'hosts.list', {})).toEqual({ type: 'result', id: 5, ok: true, value: [host] });
    } finally {
      ws.close();
    }
  });

  it('sends bus events to every authenticated socket', async () => {
    const a = await openSocket(authed({ Origin: origin }));
    const b = await openSocket(authed({ Origin: origin }));
    try {
      const gotA = nextMessage(a, (m) => m.type === 'event');
      const gotB = nextMessage(b, (m) => m.type === 'event');
      const payload = { ...host, state: 'connecting' as const };
      bus.emit('connection.state', payload);
      const expected = { type: 'event', name: 'connection.state', payload };
      expect(await gotA).toEqual(expected);
      expect(await gotB).toEqual(expected);
    } finally {
      a.close();
      b.close();
    }
  });

  it('closes on a binary frame and on an oversized message, and the server keeps going', async () => {
    const bin = await openSocket(authed({ Origin: origin }));
    const binClosed = closed(bin);
    bin.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await binClosed).toBe(1003);

    const big = await openSocket(authed({ Origin: origin }));
    const bigClosed = closed(big);
    big.send('x'.repeat(1024 * 1024 + 10));
    expect(await bigClosed).toBe(1009);

    const ok = await openSocket(authed({ Origin: origin }));
    expect(await call(ok, 1, 'hosts.list', {})).toMatchObject({ ok: true });
    ok.close();
  });
});

describe('WebSocket /stream', () => {
  it('needs the page key beside the cookie and the stream token; a refused try does not spend the token', async () => {
    const streams = new StreamRegistry();
    const s = await startServer({ backend: Object.assign(testBackend(), { streams }), bus: new EventBus(), staticDir });
    try {
      const t = new URL(s.url).searchParams.get('token')!;
      const login = await new Promise<http.IncomingMessage>((resolve, reject) =>
        http.get({ host: '127.0.0.1', port: s.port, path: `/?token=${t}` }, resolve).on('error', reject),
      );
      let html = '';
      for await (const chunk of login) html += String(chunk);
      const c = login.headers['set-cookie']![0].split(';')[0];
      const key = /domus-key=([A-Za-z0-9_-]{43})/.exec(html)![1];
      const source = { start() {}, write() {}, pause() {}, resume() {}, close() {} };
      const { id, token: streamToken } = streams.create(source);
      const attach = (protocols: string[], headers: Record<string, string>) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${s.port}/stream?id=${id}&token=${streamToken}`, protocols, { headers });
          ws.once('open', () => {
            resolve(`open ${ws.protocol}`);
            ws.close();
          });
          ws.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
          ws.once('error', (err) => resolve(`error ${err.message}`));
        });
      const own = { Cookie: c, Origin: `http://127.0.0.1:${s.port}` };
      expect(await attach(['domus.v1'], own)).toBe('HTTP 401');
      expect(await attach(['domus.v1', `domus.key.${key}`], { Cookie: c })).toBe('HTTP 403');
      expect(streams.canAttach(id, streamToken)).toBe(true);
      expect(await attach(['domus.v1', `domus.key.${key}`], own)).toBe('open domus.v1');
    } finally {
      await s.close();
    }
  });
});

describe('close()', () => {
  it('closes sockets and stops listening', async () => {
    const b2 = new EventBus();
    const s = await startServer({ backend: testBackend(), bus: b2, staticDir });
    const t = new URL(s.url).searchParams.get('token')!;
    const login = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port: s.port, path: `/?token=${t}` }, resolve).on('error', reject),
    );
    const c = login.headers['set-cookie']![0].split(';')[0];
    let html = '';
    for await (const chunk of login) html += String(chunk);
    const key = /domus-key=([A-Za-z0-9_-]{43})/.exec(html)![1];
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api`, ['domus.v1', `domus.key.${key}`], {
      headers: { Cookie: c, Origin: `http://127.0.0.1:${s.port}` },
    });
    await new Promise((r) => ws.once('open', r));
    const wsClosed = closed(ws);
    await s.close();
    expect(await wsClosed).toBe(1001);
    expect(b2.subscriberCount).toBe(0);
    await expect(
      new Promise((resolve, reject) => net.connect({ host: '127.0.0.1', port: s.port }).once('connect', resolve).once('error', reject)),
    ).rejects.toThrow();
  });
});

// Browser mode in real Chromium: the browser signs in with the one-time link and the app works;
// then the browser visits another server on 127.0.0.1 (another port), which receives the Domus
// session cookie (cookies ignore ports) and replays it against Domus, over HTTP and as a
// WebSocket upgrade. The replay is refused: the page key the API also needs never sits in a
// cookie. A reload of the real page keeps working.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../electron/api/dispatcher';
import { startServer, type ServeHandle } from '../../../electron/serve';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { ensureRendererBuilt, launchChromium } from '../../e2e/browserApp';

/** What the other listener saw: the Cookie header of each request the browser sent it. */
const received: string[] = [];
let other: http.Server;
let otherPort: number;
let server: ServeHandle;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const bus = new EventBus();

function get(pathAndQuery: string, headers: Record<string, string>): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path: pathAndQuery, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      })
      .on('error', reject);
  });
}

/** Resolves 'open' or the refusal's HTTP status. */
function upgrade(headers: Record<string, string>, protocols: string[] = ['domus.v1']): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, protocols, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
    ws.once('error', (err) => resolve(`error ${err.message}`));
  });
}

beforeAll(async () => {
  ensureRendererBuilt();
  server = await startServer({
    backend: syntheticBackend(() => [guest(0, 1), guest(1, 1)]),
    bus,
    staticDir: path.resolve('out/renderer'),
    host: '127.0.0.1',
  });
  other = http.createServer((req, res) => {
    received.push(req.headers.cookie ?? '');
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Someone else</title>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherPort = (other.address() as AddressInfo).port;
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => other?.close(resolve));
});

describe('a session nobody else on the machine can take (Chromium)', () => {
  it('signs in and the app works', { timeout: 60_000 }, async () => {
    await page.goto(server.url);
    await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: /g-0001/ }).waitFor({ timeout: 30_000 });
  });

  it('another loopback server the browser visits receives the cookie, and its replay is refused', { timeout: 60_000 }, async () => {
    const elsewhere = await context.newPage();
    await elsewhere.goto(`http://127.0.0.1:${otherPort}/`);
    await elsewhere.close();
    const name = `domus_session_${server.port}`;
    const stolen = received.map((h) => h.split(/;\s*/).find((c) => c.startsWith(`${name}=`))).find(Boolean);
    expect(stolen, `cookies the other server received: ${JSON.stringify(received)}`).toMatch(/=[A-Za-z0-9_-]{43}$/);
    const cookie = stolen!;
    const origin = `http://127.0.0.1:${server.port}`;

    // WebSocket: with the cookie, the right Origin and Host, the API is still refused.
    expect(await upgrade({ Cookie: cookie, Origin: origin })).toBe('HTTP 401');
    expect(await upgrade({ Cookie: cookie, Origin: origin }, [])).toBe('HTTP 401');
    expect(await upgrade({ Cookie: cookie })).toBe('HTTP 403');
    // HTTP: reopening the sign-in link with the cookie does not hand out the page key; the API
    // does not answer over plain HTTP.
    const relink = await get('/?token=x', { Cookie: cookie });
    expect(relink.status).toBe(303);
    expect(relink.location).toBe('/');
    expect((await get('/api', { Cookie: cookie })).status).toBe(426);
  });

  it('the page key is in neither a cookie nor the address bar; a reload and a console window keep it', { timeout: 60_000 }, async () => {
    const key = await page.evaluate(() => sessionStorage.getItem('domus.pageKey'));
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
    for (const c of await context.cookies()) expect(c.value).not.toContain(key);
    expect(received.join('\n')).not.toContain(key);

    // The key works where the cookie alone did not (so the refusal above was for the key).
    const cookie = (await context.cookies()).find((c) => c.name === `domus_session_${server.port}`)!;
    expect(await upgrade({ Cookie: `${cookie.name}=${cookie.value}`, Origin: `http://127.0.0.1:${server.port}` }, ['domus.v1', `domus.key.${key}`])).toBe('open');

    await page.reload();
    await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: /g-0001/ }).waitFor({ timeout: 30_000 });

    // A console window the app opens (window.open, same origin) starts with the tab's key.
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.evaluate(() => void window.open(`${location.origin}/#/console/x/y/text`, 'domus-console-x-y-text', 'popup')),
    ]);
    await popup.waitForLoadState();
    expect(await popup.evaluate(() => sessionStorage.getItem('domus.pageKey'))).toBe(key);
    await popup.close();
  });

  it('a tab opened by hand (cookie, no key) says it is not signed in and how to get in, and does not knock', { timeout: 60_000 }, async () => {
    const byHand = await context.newPage();
    const sockets: string[] = [];
    byHand.on('websocket', (ws) => sockets.push(ws.url()));
    await byHand.goto(server.url.replace(/\?token=.*$/, ''));
    await byHand.getByRole('heading', { name: 'This tab is not signed in to Domus' }).waitFor({ timeout: 30_000 });
    expect(await byHand.getByText(/start it again \(npm run serve, or with --open\) for a new link/).count()).toBe(1);
    // Nothing tries the API (it would be refused, and "reconnecting" for ever helps nobody).
    await byHand.waitForTimeout(1500);
    expect(sockets).toEqual([]);
    expect(await byHand.getByText('Reconnecting').count()).toBe(0);
    await byHand.close();
  });
});

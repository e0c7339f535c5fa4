// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClientError } from '../../../renderer/src/api/client';
import { PAGE_KEY_STORAGE, pageKeyProtocols, takePageKey } from '../../../renderer/src/api/pageKey';
import { WsClient, defaultWsUrl, type WebSocketLike } from '../../../renderer/src/api/wsClient';

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[] = [],
  ) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.serverClose();
  }
  // Test helpers: what the server side does.
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  serverClose() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
}

function make() {
  FakeSocket.all = [];
  const client = new WsClient({
    url: 'ws://127.0.0.1:1/api',
    protocols: pageKeyProtocols(KEY),
    createSocket: (u, p) => new FakeSocket(u, p),
    initialDelayMs: 100,
    maxDelayMs: 1000,
  });
  return { client, socket: () => FakeSocket.all[FakeSocket.all.length - 1] };
}

const KEY = 'k'.repeat(43);

afterEach(() => {
  vi.useRealTimers();
  sessionStorage.clear();
});

describe('page key', () => {
  it('moves the sign-in fragment into sessionStorage and out of the URL, and survives a reload', () => {
    history.replaceState(null, '', `/#domus-key=${KEY}`);
    expect(takePageKey()).toBe(KEY);
    expect(location.hash).toBe('');
    expect(location.href).not.toContain(KEY);
    expect(sessionStorage.getItem(PAGE_KEY_STORAGE)).toBe(KEY);
    expect(document.cookie).not.toContain(KEY);
    // A reload: no fragment any more, the tab's storage still holds it.
    expect(takePageKey()).toBe(KEY);
  });

  it('leaves other fragments (a console window route) alone; no key without a sign-in', () => {
    history.replaceState(null, '', '/#/console/lab/vm1/text');
    expect(takePageKey()).toBeNull();
    expect(location.hash).toBe('#/console/lab/vm1/text');
    history.replaceState(null, '', '/#domus-key=short');
    expect(takePageKey()).toBeNull();
  });

  it('is offered as a subprotocol beside the protocol name', () => {
    expect(pageKeyProtocols(KEY)).toEqual(['domus.v1', `domus.key.${KEY}`]);
    expect(pageKeyProtocols(null)).toEqual(['domus.v1']);
  });
});

describe('WsClient', () => {
  it('builds the URL from the page location', () => {
    expect(defaultWsUrl({ protocol: 'http:', host: '127.0.0.1:8123' })).toBe('ws://127.0.0.1:8123/api');
    expect(defaultWsUrl({ protocol: 'https:', host: 'x:1' })).toBe('wss://x:1/api');
  });

  it('offers the page key on every handshake, reconnects included', () => {
    vi.useFakeTimers();
    const { client, socket } = make();
    expect(socket().protocols).toEqual(['domus.v1', `domus.key.${KEY}`]);
    socket().serverClose();
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
    expect(socket().protocols).toEqual(['domus.v1', `domus.key.${KEY}`]);
    client.dispose();
  });

  it('offers the page key on console streams too', () => {
    const opened: { url: string; protocols: unknown }[] = [];
    class StubWebSocket {
      static OPEN = 1;
      binaryType = 'blob';
      onopen = null;
      onmessage = null;
      onclose = null;
      constructor(url: string, protocols?: unknown) {
        opened.push({ url, protocols });
      }
    }
    vi.stubGlobal('WebSocket', StubWebSocket);
    try {
      const { client } = make();
      client.openStream('s1', 'tok');
      expect(opened).toEqual([{ url: expect.stringMatching(/\/stream\?id=s1&token=tok$/), protocols: ['domus.v1', `domus.key.${KEY}`] }]);
      client.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('queues calls until open, then correlates results by id (out of order)', async () => {
    const { client, socket } = make();
    const p1 = client.call('hosts.list', {});
    const p2 = client.call('host.info', { hostId: 'lab' });
    expect(socket().sent).toEqual([]);
    socket().open();
    const [m1, m2] = socket().sent as { id: number; method: string; type: string; params: unknown }[];
    expect(m1).toMatchObject({ type: 'call', method: 'hosts.list', params: {} });
    expect(m2).toMatchObject({ type: 'call', method: 'host.info', params: { hostId: 'lab' } });
    expect(m1.id).not.toBe(m2.id);
    socket().reply({ type: 'result', id: m2.id, ok: false, error: { code: 'not_found', message: 'No such host.', detail: 'lab' } });
    socket().reply({ type: 'result', id: m1.id, ok: true, value: [] });
    await expect(p1).resolves.toEqual([]);
    const err = await p2.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiClientError);
    expect(err).toMatchObject({ code: 'not_found', message: 'No such host.', detail: 'lab', local: false });
    expect(client.pendingCount).toBe(0);
  });

  it('delivers events by name and unsubscribes', () => {
    const { client, socket } = make();
    socket().open();
    const seen: unknown[] = [];
    const off = client.on('guests.changed', (p) => seen.push(p));
    const payload = { hostId: 'lab', upserted: [], removed: ['x'], reset: false };
    socket().reply({ type: 'event', name: 'guests.changed', payload });
    socket().reply({ type: 'event', name: 'host.changed', payload: {} });
    off();
    socket().reply({ type: 'event', name: 'guests.changed', payload });
    expect(seen).toEqual([payload]);
  });

  it('rejects pending calls on close, reports the loss, and reconnects with backoff', async () => {
    vi.useFakeTimers();
    const { client, socket } = make();
    const statuses: string[] = [];
    client.onStatus((s) => statuses.push(s));
    socket().open();
    const first = socket();
    const p = client.call('hosts.list', {});
    first.serverClose();
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiClientError);
    expect(err).toMatchObject({ code: 'connection_lost', local: true });
    expect(client.status()).toBe('lost');
    // While waiting for the next attempt, calls fail at once rather than hang.
    await expect(client.call('hosts.list', {})).rejects.toMatchObject({ code: 'connection_lost' });
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
    socket().serverClose(); // the attempt fails: next one after 200 ms
    vi.advanceTimersByTime(150);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(60);
    expect(FakeSocket.all).toHaveLength(3);
    socket().open();
    expect(client.status()).toBe('open');
    expect(statuses).toEqual(['open', 'lost', 'open']);
    // A late result for an old id is ignored.
    socket().reply({ type: 'result', id: 1, ok: true, value: 'late' });
    client.dispose();
  });

  it('ignores malformed messages', () => {
    const { client, socket } = make();
    socket().open();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    socket().onmessage?.({ data: 'not json' });
    socket().onmessage?.({ data: 'null' });
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    client.dispose();
  });
});

import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, EventBus } from '../../../electron/api/dispatcher';
import type { Backend } from '../../../electron/api/methods';
import type { EventMessage } from '../../../electron/api/wire';
import { host, testBackend } from './helpers';

describe('createDispatcher', () => {
  it('calls the backend with validated input and returns its value', async () => {
    const spy = vi.fn(async () => host);
    const dispatch = createDispatcher(testBackend({ 'hosts.disconnect': spy }));
    expect(await dispatch('hosts.disconnect', { hostId: 'lab' })).toEqual({ ok: true, value: host });
    expect(spy).toHaveBeenCalledWith({ hostId: 'lab' });
  });

  it('applies schema defaults before the backend sees the input', async () => {
    const spy = vi.fn<Backend['hosts.add']>(async () => host);
    const dispatch = createDispatcher(testBackend({ 'hosts.add': spy }));
    const r = await dispatch('hosts.add', { profile: { kind: 'ssh', name: 'x', address: 'xen1', auth: { method: 'agent' } } });
    expect(r.ok).toBe(true);
    expect(spy.mock.calls[0][0].profile).toMatchObject({ port: 22, user: 'root', sudo: false });
  });

  it('lets a method without arguments be called without params', async () => {
    const dispatch = createDispatcher(testBackend());
    expect(await dispatch('hosts.list', undefined)).toEqual({ ok: true, value: [host] });
  });

  it('refuses an unknown method, including Object.prototype names', async () => {
    const dispatch = createDispatcher(testBackend());
    for (const m of ['nope.nothing', 'toString', '__proto__', 'constructor']) {
      const r = await dispatch(m, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      if (!r.ok) expect(r.error.message).toMatch(/^Unknown method/);
    }
  });

  it('reports invalid params as invalid_input naming the fields, without calling the backend', async () => {
    const spy = vi.fn(async () => null);
    const dispatch = createDispatcher(testBackend({ 'hosts.remove': spy }));
    const r = await dispatch('hosts.remove', { hostId: '../etc', extra: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.message).toContain('hosts.remove');
      expect(r.error.message).toContain('hostId');
    }
    expect(spy).not.toHaveBeenCalled();
    const nested = await dispatch('hosts.add', { profile: { kind: 'ssh', name: 'x', address: 'bad host;rm', auth: { method: 'agent' } } });
    expect(!nested.ok && nested.error.message).toContain('profile.address');
    const notObject = await dispatch('guests.list', 'lab');
    expect(notObject).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('passes a DomusError through as its ApiError', async () => {
    const dispatch = createDispatcher(testBackend());
    expect(await dispatch('hosts.connect', { hostId: 'lab2' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no such host.', detail: 'lookup: lab2' },
    });
  });

  it('turns any other throw into an internal error with the detail kept', async () => {
    const dispatch = createDispatcher(
      testBackend({
        'hosts.list': async () => {
          throw new TypeError('x is undefined');
        },
      }),
    );
    expect(await dispatch('hosts.list', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong inside Domus.', detail: 'x is undefined' },
    });
  });

  it('catches backend results that drift from the output schema (dev/test)', async () => {
    const broken = testBackend({ 'app.info': async () => ({ version: 1 }) as never });
    const r = await createDispatcher(broken)('app.info', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!r.ok) expect(r.error.detail).toContain('version');
    // …and can be told not to check (production).
    expect(await createDispatcher(broken, { validateOutput: false })('app.info', {})).toEqual({ ok: true, value: { version: 1 } });
  });

  it('never rejects, even for a non-string method', async () => {
    const dispatch = createDispatcher(testBackend());
    await expect(dispatch(42 as unknown as string, {})).resolves.toMatchObject({ ok: false });
  });
});

describe('EventBus', () => {
  const payload = { ...host, state: 'connecting' as const };

  it('fans a valid event out to every subscriber until it unsubscribes', () => {
    const bus = new EventBus();
    const a: EventMessage[] = [];
    const b: EventMessage[] = [];
    const offA = bus.subscribe((m) => a.push(m));
    bus.subscribe((m) => b.push(m));
    bus.emit('connection.state', payload);
    offA();
    bus.emit('connection.state', payload);
    expect(a).toEqual([{ type: 'event', name: 'connection.state', payload }]);
    expect(b).toHaveLength(2);
  });

  it('throws on an invalid payload in strict mode and drops it otherwise', () => {
    const got: EventMessage[] = [];
    const strict = new EventBus({ strict: true });
    strict.subscribe((m) => got.push(m));
    expect(() => strict.emit('connection.state', { id: 'x' } as never)).toThrow(/connection.state/);
    const log = vi.fn();
    const lenient = new EventBus({ strict: false, log });
    lenient.subscribe((m) => got.push(m));
    lenient.emit('connection.state', { id: 'x' } as never);
    expect(got).toEqual([]);
    expect(log).toHaveBeenCalledOnce();
  });

  it('drops and logs a bad event by default in the shipped app and browser mode (no NODE_ENV set)', () => {
    // The packaged app and `npm run serve` start without NODE_ENV and outside vitest: a throwing
    // emit there tore the host connection down and it reconnected forever.
    vi.stubEnv('VITEST', undefined);
    vi.stubEnv('NODE_ENV', undefined);
    vi.stubEnv('DOMUS_STRICT_CONTRACT', undefined);
    try {
      const log = vi.fn();
      const bus = new EventBus({ log });
      const got: EventMessage[] = [];
      bus.subscribe((m) => got.push(m));
      expect(() => bus.emit('connection.state', { id: 'x' } as never)).not.toThrow();
      expect(got).toEqual([]);
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/dropped an event\. Event connection\.state does not match the contract: .*state/));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('is strict under vitest, in development and with DOMUS_STRICT_CONTRACT=1', () => {
    try {
      for (const env of [{ VITEST: 'true' }, { NODE_ENV: 'development' }, { DOMUS_STRICT_CONTRACT: '1' }]) {
        vi.stubEnv('VITEST', undefined);
        vi.stubEnv('NODE_ENV', undefined);
        vi.stubEnv('DOMUS_STRICT_CONTRACT', undefined);
        for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
        expect(() => new EventBus().emit('connection.state', { id: 'x' } as never), JSON.stringify(env)).toThrow(/connection\.state/);
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('keeps delivering when one subscriber throws', () => {
    const log = vi.fn();
    const bus = new EventBus({ log });
    const got: EventMessage[] = [];
    bus.subscribe(() => {
      throw new Error('socket gone');
    });
    bus.subscribe((m) => got.push(m));
    bus.emit('connection.state', payload);
    expect(got).toHaveLength(1);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('socket gone'));
  });
});

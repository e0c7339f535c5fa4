// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostSummary } from '../../../electron/api/hosts';
import { ApiClientError, type BackendStatus, type DomusClient } from '../../../renderer/src/api/client';
import { ClientProvider } from '../../../renderer/src/api/context';
import { App } from '../../../renderer/src/components/App';
import { initI18n } from '../../../renderer/src/i18n';
import { StoreProvider } from '../../../renderer/src/state/context';
import { Notices } from '../../../renderer/src/state/notices';
import { Store } from '../../../renderer/src/state/store';
import { guest, host, info } from './fixtures';

beforeAll(() => {
  initI18n('en');
  // PatternFly hides the sidebar behind the toggle below its xl breakpoint (1200 px).
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1400 });
  // jsdom lacks these; PatternFly's Page asks for them.
  window.matchMedia ??= ((q: string) => ({ matches: false, media: q, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, onchange: null, dispatchEvent: () => false })) as typeof window.matchMedia;
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});
afterEach(cleanup);

type Call = { method: string; input: unknown };

function fakeClient(answers: Partial<Record<string, (input: unknown) => unknown>> = {}) {
  const calls: Call[] = [];
  let status: BackendStatus = 'open';
  const statusHandlers = new Set<(s: BackendStatus) => void>();
  const client: DomusClient = {
    call: (async (method: string, input: unknown) => {
      calls.push({ method, input });
      const a = answers[method];
      if (!a) return method === 'hosts.sshConfigAliases' ? [] : method === 'app.info' ? { version: '0', mode: 'browser', localXen: false } : null;
      return a(input);
    }) as DomusClient['call'],
    on: () => () => {},
    openStream: () => {
      throw new Error('no byte streams in this test');
    },
    status: () => status,
    onStatus: (h) => {
      statusHandlers.add(h);
      return () => statusHandlers.delete(h);
    },
    retryNow: vi.fn(),
  };
  const setStatus = (s: BackendStatus) => {
    status = s;
    statusHandlers.forEach((h) => h(s));
  };
  return { client, calls, setStatus };
}

function setup(hosts: HostSummary[] = [host], answers = {}) {
  const store = new Store();
  store.setHosts(hosts);
  const notices = new Notices();
  const fc = fakeClient(answers);
  render(
    <ClientProvider client={fc.client}>
      <StoreProvider store={store}>
        <App notices={notices} />
      </StoreProvider>
    </ClientProvider>,
  );
  return { store, notices, ...fc };
}

describe('App', () => {
  it('shows hosts, the overview and the guest table with stable names', async () => {
    const { store } = setup();
    act(() => {
      store.setInfo('lab', info);
      store.applyGuests({
        hostId: 'lab',
        upserted: [
          guest({ name: 'Domain-0', id: 'uuid:0', domid: 0, isControlDomain: true, type: 'pv' }),
          guest({ name: 'web', domid: 3 }),
          guest({ name: 'stopped', state: 'shut off', domid: null, cpuPercent: null }),
        ],
        removed: [],
        reset: true,
      });
    });
    const nav = screen.getByRole('navigation', { name: 'Hosts' });
    expect(within(nav).getByRole('button', { name: /Lab/ })).toBeTruthy();
    expect(within(nav).getByText('connected')).toBeTruthy();
    expect(screen.getByText('4.17.5')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Guests' });
    expect(within(table).getByRole('cell', { name: 'Domain-0' })).toBeTruthy();
    expect(within(table).getByRole('cell', { name: 'stopped' })).toBeTruthy();
    expect(within(table).getByText('shut off')).toBeTruthy();
    expect(within(table).getByText('control domain')).toBeTruthy();
  });

  it('keeps the selection across live updates', async () => {
    const user = userEvent.setup();
    const { store } = setup();
    const web = guest({ name: 'web', domid: 3 });
    act(() => store.applyGuests({ hostId: 'lab', upserted: [web, guest({ name: 'db', domid: 4 })], removed: [], reset: true }));
    await user.click(screen.getByRole('checkbox', { name: 'Select web' }));
    act(() =>
      store.applyGuests({ hostId: 'lab', upserted: [{ ...web, cpuPercent: 77 }, guest({ name: 'new', domid: 9 })], removed: ['uuid:db'], reset: false }),
    );
    expect((screen.getByRole('checkbox', { name: 'Select web' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByRole('cell', { name: 'db' })).toBeNull();
    expect(screen.getByRole('cell', { name: 'new' })).toBeTruthy();
  });

  it('filters and sorts the guests', async () => {
    const user = userEvent.setup();
    const { store } = setup();
    act(() =>
      store.applyGuests({
        hostId: 'lab',
        upserted: [guest({ name: 'alpha', memoryMiB: 2048 }), guest({ name: 'beta', memoryMiB: 256 }), guest({ name: 'gamma', memoryMiB: 1024 })],
        removed: [],
        reset: true,
      }),
    );
    const names = () => within(screen.getByRole('table', { name: 'Guests' })).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[1].textContent);
    expect(names()).toEqual(['alpha', 'beta', 'gamma']);
    await user.click(screen.getByRole('button', { name: 'Memory' }));
    expect(names()).toEqual(['beta', 'gamma', 'alpha']);
    await user.type(screen.getByRole('textbox', { name: 'Filter guests by name' }), 'ga');
    expect(names()).toEqual(['gamma']);
  });

  it('asks before trusting an unknown host key and sends the fingerprint shown', async () => {
    const user = userEvent.setup();
    const fp = 'SHA256:' + 'A'.repeat(43);
    const h: HostSummary = { ...host, state: 'failed', hostKey: { kind: 'unknown', keyType: 'ssh-ed25519', fingerprint: fp, knownFingerprints: [] } };
    const { calls } = setup([h], { 'hosts.trustKey': () => ({ ...host, state: 'connecting' }) });
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(fp)).toBeTruthy();
    expect(within(dialog).getByText(/ssh-keygen -lf \/etc\/ssh\/ssh_host_ed25519_key.pub/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Trust and connect' }));
    expect(calls.find((c) => c.method === 'hosts.trustKey')?.input).toEqual({ hostId: 'lab', fingerprint: fp });
  });

  it('refuses a changed host key with no override', async () => {
    const h: HostSummary = {
      ...host,
      state: 'failed',
      hostKey: { kind: 'changed', keyType: 'ssh-ed25519', fingerprint: 'SHA256:new', knownFingerprints: ['SHA256:old'] },
    };
    setup([h]);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('SHA256:new')).toBeTruthy();
    expect(within(dialog).getByText('SHA256:old')).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: /trust/i })).toBeNull();
    const buttons = within(dialog)
      .getAllByRole('button')
      .map((b) => b.getAttribute('aria-label') ?? b.textContent);
    // Forgetting the old key leads to checking the new one; it never trusts anything by itself.
    expect(buttons.every((b) => /close|forget this key/i.test(b ?? ''))).toBe(true);
    expect((within(dialog).getByRole('button', { name: 'Forget this key' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('validates the add-host form per field', async () => {
    const user = userEvent.setup();
    const { calls } = setup([]);
    await user.click(screen.getAllByRole('button', { name: 'Add host' })[0]);
    const dialog = await screen.findByRole('dialog', { name: 'Add host' });
    await user.clear(within(dialog).getByLabelText(/^Port/));
    await user.type(within(dialog).getByLabelText(/^Port/), '70000');
    await user.click(within(dialog).getByRole('button', { name: 'Add and connect' }));
    expect(within(dialog).getByText(/Enter a display name/)).toBeTruthy();
    expect(within(dialog).getByText(/Enter a host name or IP address/)).toBeTruthy();
    expect(within(dialog).getByText(/Enter a port number/)).toBeTruthy();
    expect(calls.some((c) => c.method === 'hosts.add')).toBe(false);
  });

  it('adds then connects a host', async () => {
    const user = userEvent.setup();
    const added = { ...host, id: 'new', name: 'New', state: 'disconnected' as const };
    const { calls } = setup([], {
      'hosts.add': () => added,
      'hosts.connect': () => ({ ...added, state: 'connecting' }),
    });
    await user.click(screen.getAllByRole('button', { name: 'Add host' })[0]);
    const dialog = await screen.findByRole('dialog', { name: 'Add host' });
    await user.type(within(dialog).getByLabelText(/^Display name/), 'New');
    await user.type(within(dialog).getByLabelText(/^Address/), '127.0.0.1');
    await user.click(within(dialog).getByLabelText('Private key file'));
    await user.type(within(dialog).getByLabelText(/^Private key file path/), '/root/.ssh/id_ed25519');
    await user.click(within(dialog).getByRole('button', { name: 'Add and connect' }));
    const add = calls.find((c) => c.method === 'hosts.add');
    expect(add?.input).toEqual({
      profile: { kind: 'ssh', name: 'New', address: '127.0.0.1', port: 22, user: 'root', auth: { method: 'key', keyPath: '/root/.ssh/id_ed25519' }, sudo: false },
    });
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'hosts.connect')).toBe(true));
  });

  it('shows API errors with their raw detail', async () => {
    const user = userEvent.setup();
    const { notices } = setup([{ ...host, state: 'disconnected' }]);
    act(() => notices.push(new ApiClientError({ code: 'command_failed', message: 'xl could not list the domains.', detail: 'libxl: error: xc_domain_getinfo failed' })));
    expect(screen.getByText('xl could not list the domains.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Show details' }));
    expect(screen.getByText('libxl: error: xc_domain_getinfo failed')).toBeTruthy();
  });

  it('shows a banner while the backend is unreachable', () => {
    const { setStatus } = setup();
    expect(screen.queryByRole('alert', { name: 'Backend unreachable' })).toBeNull();
    act(() => setStatus('lost'));
    expect(screen.getByRole('alert', { name: 'Backend unreachable' })).toBeTruthy();
    act(() => setStatus('open'));
    expect(screen.queryByRole('alert', { name: 'Backend unreachable' })).toBeNull();
  });

  it('opens the add-host dialog and the shortcuts help from the keyboard', async () => {
    const user = userEvent.setup();
    setup();
    await user.keyboard('?');
    expect(await screen.findByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    await user.keyboard('{Escape}');
    await user.keyboard('n');
    expect(await screen.findByRole('dialog', { name: 'Add host' })).toBeTruthy();
  });
});

// In real Chromium against the real backend (browser mode), with SSH servers on loopback: a failed
// connection's headline says why; a host is edited in place; the first connection to an unknown
// key waits for the user instead of showing "failed"; a changed key is forgotten from Domus's own
// record after the user typed the host's name.
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSha256, KnownHosts } from '../../../electron/store/knownHosts';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import { startFakeSshServer, type FakeSshServer } from '../../support/fakeSshServer';

const USER = 'ops';
const PASSWORD = 'lab password';
const WAIT = { timeout: 60_000 };

describe('hosts on first use (Chromium, real backend)', () => {
  let app: BrowserApp;
  let page: Page;
  let server: FakeSshServer;
  let otherKey: FakeSshServer;
  let closedPort: number;
  let forwardPort: number;
  const forward = net.createServer((a) => {
    const b = net.connect(server.port, '127.0.0.1');
    a.pipe(b).pipe(a);
    a.on('error', () => b.destroy());
    b.on('error', () => a.destroy());
  });

  beforeAll(async () => {
    const failEveryCommand = { username: USER, password: PASSWORD, onExec: (_c: string, ch: { exit(c: number): void; end(): void }) => { ch.exit(127); ch.end(); } };
    server = await startFakeSshServer(failEveryCommand);
    otherKey = await startFakeSshServer(failEveryCommand);
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await new Promise<void>((r) => forward.listen(0, '127.0.0.1', r));
    forwardPort = (forward.address() as net.AddressInfo).port;
    app = await startBrowserApp();
    page = app.page;
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await server?.close();
    await otherKey?.close();
    forward.close();
  });

  const addHost = (name: string, port: number) =>
    app.backend['hosts.add']({
      profile: { kind: 'ssh', name, address: '127.0.0.1', port, user: USER, auth: { method: 'password', password: PASSWORD }, sudo: false },
    });
  const select = (name: string) => page.getByRole('navigation', { name: 'Hosts' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();

  it('a refused connection says so in the headline, Node\'s error under Details', { timeout: 120_000 }, async () => {
    await addHost('nowhere', closedPort);
    await select('nowhere');
    await page.getByRole('button', { name: 'Connect', exact: true }).click(WAIT);
    const headline = `Nothing listens on port ${closedPort} of 127.0.0.1: check the port, and that sshd runs there.`;
    // The overview's alert, whose title heading also holds a screen-reader prefix ("Danger alert:").
    await page.getByRole('heading').filter({ hasText: headline }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Show details' }).click();
    expect(await page.getByLabel('Raw error detail').first().textContent()).toMatch(/ECONNREFUSED/);
  });

  it('the host is edited in place; its first connection waits for the user to check the key', { timeout: 120_000 }, async () => {
    const before = (await app.backend['hosts.list']({})).find((h) => h.name === 'nowhere')!;
    await select('nowhere');
    await page.getByRole('button', { name: 'Edit host' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit nowhere' });
    await dialog.waitFor(WAIT);
    await dialog.getByLabel(/^Display name/).fill('xen-a');
    await dialog.getByLabel(/^Port/).fill(String(server.port));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached', ...WAIT });
    await page.getByText(`${USER}@127.0.0.1:${server.port}`, { exact: true }).waitFor(WAIT);
    const after = await app.backend['hosts.list']({});
    expect(after.map((h) => [h.id, h.name, h.port])).toEqual([[before.id, 'xen-a', server.port]]);

    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const ask = page.getByRole('dialog', { name: 'Is this really xen-a?' });
    await ask.waitFor(WAIT);
    expect(await ask.textContent()).toContain(fingerprintSha256(server.hostKeyBlob));
    // Behind the question: "waiting for you to check the host key", no red "failed".
    // The sidebar's narrow label, then the overview's.
    expect(await page.locator('[data-state="awaitingKey"]').allTextContents()).toEqual(['check the host key', 'waiting for you to check the host key']);
    expect(await page.locator('[data-state="failed"]').count()).toBe(0);
    expect(await page.locator('.pf-v6-c-alert.pf-m-danger').count()).toBe(0);
    await ask.getByRole('button', { name: 'Trust and connect' }).click();
    await ask.waitFor({ state: 'detached', ...WAIT });
  });

  it('a changed key is forgotten from Domus\'s record once the host\'s name is typed', { timeout: 120_000 }, async () => {
    // Domus's own list holds another key for this endpoint: the host looks changed.
    const kh = new KnownHosts({ domusFile: path.join(app.configDir, 'known_hosts'), userFile: null });
    await kh.trust('127.0.0.1', forwardPort, otherKey.hostKeyBlob);
    await addHost('xen-b', forwardPort);
    await select('xen-b');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const changed = page.getByRole('dialog', { name: 'The host key of xen-b has changed' });
    await changed.waitFor(WAIT);
    expect(await changed.textContent()).toContain("Domus's own record");
    const forget = changed.getByRole('button', { name: 'Forget this key' });
    expect(await forget.isDisabled()).toBe(true);
    await changed.getByLabel('Type xen-b to confirm').fill('xen-a');
    expect(await forget.isDisabled()).toBe(true);
    await changed.getByLabel('Type xen-b to confirm').fill('xen-b');
    await forget.click();
    // Domus connects again and asks about the key the host presents now.
    const ask = page.getByRole('dialog', { name: 'Is this really xen-b?' });
    await ask.waitFor(WAIT);
    expect(await ask.textContent()).toContain(fingerprintSha256(server.hostKeyBlob));
    expect(await kh.check('127.0.0.1', forwardPort, otherKey.hostKeyBlob)).toEqual({ status: 'unknown', fingerprint: fingerprintSha256(otherKey.hostKeyBlob) });
  });
});

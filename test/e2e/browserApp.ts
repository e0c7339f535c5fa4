// Domus in browser mode for end-to-end tests: the real backend and server in this process, the
// built renderer, and Debian's Chromium driven by Playwright. Each app gets its own config dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EventBus } from '../../electron/api/dispatcher';
import type { Backend } from '../../electron/api/methods';
import { createBackend, type DomusBackend } from '../../electron/hosts/backend';
import { startServer } from '../../electron/serve';
import { MemorySecretStore } from '../../electron/store/secretStore';
import { ensureRendererBuilt } from './rendererBuild';

export { ensureRendererBuilt };

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const RENDERER = path.join(ROOT, 'out', 'renderer');

export interface BrowserApp {
  page: Page;
  backend: DomusBackend;
  configDir: string;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // This machine has no network: without these Chromium keeps trying to reach Google's hosts.
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** The built renderer served by `backend` (a stand-in, no hosts) in a signed-in Chromium page. */
export async function openRendererWith(
  backend: Backend,
  bus: EventBus = new EventBus(),
  opts: { locale?: string } = {},
): Promise<{ page: Page; close(): Promise<void> }> {
  ensureRendererBuilt();
  const server = await startServer({ backend, bus, staticDir: RENDERER, host: '127.0.0.1' });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ locale: opts.locale ?? 'en-US', viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(server.url);
  return {
    page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export async function startBrowserApp(opts: { userKnownHosts?: string | null } = {}): Promise<BrowserApp> {
  ensureRendererBuilt();
  const configDir = mkdtempSync(path.join(tmpdir(), 'domus-e2e-'));
  const bus = new EventBus();
  const backend = await createBackend({
    configDir,
    secrets: new MemorySecretStore(),
    bus,
    mode: 'browser',
    userKnownHosts: opts.userKnownHosts ?? null,
    sshConfigFile: path.join(configDir, 'no-ssh-config'),
  });
  const server = await startServer({ backend, bus, staticDir: RENDERER, host: '127.0.0.1' });
  const browser = await launchChromium();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url);
  return {
    page,
    backend,
    configDir,
    async close() {
      await browser.close();
      await backend.close();
      await server.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

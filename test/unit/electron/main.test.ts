// electron/main.ts's startup wiring, run in plain Node against the Electron stand-in
// (test/support/electronStandIn.ts): window preferences, the app protocol and its CSP, refusals
// of navigation, new windows, permissions and foreign IPC, and external links.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildCsp } from '../../../electron/api/csp';
import { IPC_CALL, IPC_STREAM } from '../../../electron/api/wire';
import { electronEvent, WebFrameMain } from '../../support/electronStandIn';

// main.ts's `electron` is the stand-in; the test drives the same instance.
const electron = await vi.hoisted(() => import('../../support/electronStandIn'));
vi.mock('electron', () => electron);
let configDir: string;

/** A fresh Electron and a fresh main.ts, started up to the first window. */
async function startMain(opts: { packaged?: boolean } = {}): Promise<InstanceType<typeof electron.BrowserWindow>> {
  vi.resetModules();
  electron.resetElectron();
  electron.app.isPackaged = opts.packaged ?? false;
  await import('../../../electron/main');
  await electron.app.emitReady();
  const win = electron.BrowserWindow.all[0];
  expect(win).toBeDefined();
  return win;
}

beforeEach(() => {
  configDir = mkdtempSync(path.join(tmpdir(), 'domus-main-'));
  vi.stubEnv('DOMUS_CONFIG_DIR', configDir);
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
});
afterEach(async () => {
  // Quit as Electron would, and let the backend close before its directory goes.
  electron.app.emit('before-quit', electronEvent());
  await vi.waitFor(() => expect(electron.app.quitCalls).toBeGreaterThan(0), { timeout: 6000 });
  vi.unstubAllEnvs();
  rmSync(configDir, { recursive: true, force: true });
});

describe('main window', () => {
  it('is sandboxed and isolated, without Node, loading the app from domus://app', async () => {
    const win = await startMain();
    expect(electron.app.sandboxEnabled).toBe(true);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(path.basename(String(win.options.webPreferences?.preload))).toBe('preload.cjs');
    expect(win.loaded).toEqual(['domus://app/index.html']);
  });

  it('has no DevTools when packaged, in the menu or the window', async () => {
    const win = await startMain({ packaged: true });
    const roles = JSON.stringify(electron.Menu.application?.items);
    expect(electron.Menu.application).toBeTruthy();
    expect(roles).not.toMatch(/toggleDevTools|"viewMenu"/i);
    expect(win.options.webPreferences?.devTools).toBe(false);
  });

  it('keeps DevTools for development (unpackaged)', async () => {
    await startMain({ packaged: false });
    expect(JSON.stringify(electron.Menu.application?.items)).toMatch(/toggleDevTools/);
  });
});

describe('app protocol', () => {
  it('is registered as privileged and serves the app with the CSP', async () => {
    await startMain();
    expect(electron.protocol.privileged).toEqual([
      { scheme: 'domus', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    const handle = electron.protocol.handlers.get('domus')!;
    const res = await handle(new Request('domus://app/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(buildCsp());
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<div id="root"|<html/i);
    expect(await (await handle(new Request('domus://app/../../etc/passwd'))).text()).not.toMatch(/root:/);
    expect((await handle(new Request('domus://elsewhere/index.html'))).status).toBe(404);
    expect((await handle(new Request('domus://app/index.html', { method: 'POST' }))).status).toBe(404);
  });

  it('replaces any CSP on other responses with its own', async () => {
    await startMain();
    const listener = electron.session.defaultSession.webRequest.headersReceived!;
    let out: Record<string, string[]> | undefined;
    listener(
      { url: 'http://localhost/', responseHeaders: { 'Content-Security-Policy': ["default-src *"], 'X-Other': ['1'] } },
      (r) => (out = r.responseHeaders),
    );
    expect(out!['Content-Security-Policy']).toEqual([buildCsp()]);
    expect(out!['X-Other']).toEqual(['1']);
  });
});

describe('refusals', () => {
  it('refuses navigation away and webviews', async () => {
    const win = await startMain();
    const wc = win.webContents;
    const nav = electronEvent({ url: 'https://evil.example/' });
    wc.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.defaultPrevented).toBe(true);
    const frameNav = electronEvent({ url: 'https://evil.example/' });
    wc.emit('will-frame-navigate', frameNav);
    expect(frameNav.defaultPrevented).toBe(true);
    const inApp = electronEvent({ url: 'domus://app/index.html#/hosts' });
    wc.emit('will-frame-navigate', inApp);
    expect(inApp.defaultPrevented).toBe(false);
    const webview = electronEvent();
    wc.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('denies new windows except the console route, which gets the same locked-down preferences', async () => {
    const win = await startMain();
    expect(win.webContents.openWindow('domus://app/index.html#/hosts').action).toBe('deny');
    expect(win.webContents.openWindow('file:///etc/passwd').action).toBe('deny');
    expect(win.webContents.openWindow('javascript:alert(1)').action).toBe('deny');
    const consoleWin = win.webContents.openWindow('domus://app/index.html#/console/h1/g1');
    expect(consoleWin.action).toBe('allow');
    expect(consoleWin.overrideBrowserWindowOptions?.webPreferences).toEqual(win.options.webPreferences);
  });

  it('denies every permission request and check', async () => {
    await startMain();
    const ses = electron.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const granted = await new Promise<boolean>((resolve) => ses.permissionRequestHandler!(null, permission, resolve, {}));
      expect(granted).toBe(false);
      expect(ses.permissionCheckHandler!(null, permission, 'domus://app', {})).toBe(false);
    }
    expect(ses.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
  });

  it('refuses IPC from a foreign frame, a subframe or another window, and answers the app', async () => {
    const win = await startMain();
    const call = electron.ipcMain.handlers.get(IPC_CALL)!;
    const stream = electron.ipcMain.handlers.get(IPC_STREAM)!;
    const top = win.webContents.mainFrame;
    const foreign = new WebFrameMain('https://evil.example/', { processId: top.processId, routingId: top.routingId });
    const sub = new WebFrameMain('domus://app/index.html');
    sub.parent = top;
    const stranger = new electron.BrowserWindow({});
    for (const e of [
      { sender: win.webContents, senderFrame: foreign },
      { sender: win.webContents, senderFrame: sub },
      { sender: win.webContents, senderFrame: null },
      { sender: stranger.webContents, senderFrame: stranger.webContents.mainFrame },
    ]) {
      top.url = e.senderFrame === foreign ? 'https://evil.example/' : 'domus://app/index.html';
      expect(await call(e, 'hosts.list', {})).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
      expect(await stream(e, 'stream-1', 'token')).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
    }
    top.url = 'domus://app/index.html';
    expect(await call({ sender: win.webContents, senderFrame: top }, 'hosts.list', {})).toMatchObject({ ok: true });
  });
});

describe('external links', () => {
  it('opens an http(s) link only after the user confirms it in a main-process dialog', async () => {
    const win = await startMain();
    electron.dialog.answer = 1; // Cancel
    expect(win.webContents.openWindow('https://xenbits.xen.org/docs/').action).toBe('deny');
    await new Promise((r) => setTimeout(r, 10));
    expect(electron.dialog.shown).toHaveLength(1);
    expect(JSON.stringify(electron.dialog.shown[0].options)).toContain('https://xenbits.xen.org/docs/');
    expect(electron.shell.opened).toEqual([]);

    electron.dialog.answer = 0; // Open
    win.webContents.openWindow('http://example.org/a');
    await new Promise((r) => setTimeout(r, 10));
    expect(electron.shell.opened).toEqual(['http://example.org/a']);
  });

  it('never opens other schemes, even when confirmed', async () => {
    const win = await startMain();
    electron.dialog.answer = 0;
    for (const url of ['file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'ms-settings:', 'https:']) {
      win.webContents.openWindow(url);
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(electron.shell.opened).toEqual([]);
    expect(electron.dialog.shown).toEqual([]);
  });
});

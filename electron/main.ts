// Electron adapter: the main window (plus console windows), the application menu, safeStorage,
// and the Domus API on ipcMain. Follows Electron's security checklist: sandboxed,
// context-isolated renderer without Node; a strict CSP; the app served from its own privileged
// scheme (domus://app) rather than file://; no navigation, no webviews, no permissions; no new
// windows except the app's own console route; every IPC call checked to come from the main
// frame of one of our windows showing our app.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  net,
  protocol,
  safeStorage,
  session,
  shell,
  type BrowserWindowConstructorOptions,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type MessageBoxOptions,
  type WebContents,
} from 'electron';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCsp, securityHeaders } from './api/csp';
import { createDispatcher, EventBus, type Dispatch } from './api/dispatcher';
import { IPC_CALL, IPC_EVENT, IPC_STREAM, type CallResult } from './api/wire';
import { attachStreamPort } from './streams/portTransport';
import type { StreamRegistry } from './streams/registry';
import { createBackend } from './hosts/backend';
import { configDir } from './store/paths';
import { SafeStorageSecretStore } from './store/secretStore';
import { lookupStatic } from './static';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main
const RENDERER_DIR = path.join(here, '..', 'renderer');
const PRELOAD = path.join(here, '..', 'preload', 'preload.cjs');
const SCHEME = 'domus';
const APP_HOST = 'app';
const APP_URL = `${SCHEME}://${APP_HOST}/index.html`;
/** electron-vite's dev server, only when running unpackaged under `electron-vite dev`. */
const DEV_URL = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? new URL(process.env.ELECTRON_RENDERER_URL) : undefined;
const CSP = buildCsp(DEV_URL ? { devServerOrigin: DEV_URL.origin } : {});

// Must happen before 'ready'.
protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();
const gotLock = app.requestSingleInstanceLock();
if (!gotLock) app.quit(); // another Domus is running; it gets focused through 'second-instance'

let mainWindow: BrowserWindow | undefined;
/** Every window showing the app: the main one and consoles opened in their own window. */
const appWindows = new Set<BrowserWindow>();
let backendReady: Promise<{ dispatch: Dispatch; close(): Promise<void>; streams: StreamRegistry }> | undefined;

function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (DEV_URL) return url.origin === DEV_URL.origin;
  // Node's URL gives non-special schemes an opaque origin, so compare the parts.
  return url.protocol === `${SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

/** The call must come from the top frame of one of our windows, currently showing our app. */
function trustedSender(e: IpcMainInvokeEvent): boolean {
  const win = BrowserWindow.fromWebContents(e.sender);
  const frame = e.senderFrame;
  if (!win || !appWindows.has(win) || win.isDestroyed() || !frame || e.sender !== win.webContents) return false;
  const top = win.webContents.mainFrame;
  if (frame.parent !== null || frame.processId !== top.processId || frame.routingId !== top.routingId) return false;
  return isAppUrl(frame.url);
}

function serveAppProtocol() {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const root = await fs.realpath(RENDERER_DIR);
    const found = await lookupStatic(root, url.pathname);
    if (found.status !== 200) return new Response(null, { status: found.status, headers: securityHeaders(CSP) });
    const res = await net.fetch(pathToFileURL(found.file).toString());
    return new Response(res.body, {
      status: res.status,
      headers: { ...securityHeaders(CSP), 'Content-Type': found.type, 'Cache-Control': 'no-cache' },
    });
  });
}

function lockDownSession() {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // The domus:// handler sets the CSP itself; this covers the dev server and anything else.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    for (const [name, value] of Object.entries(securityHeaders(CSP))) headers[name] = [value];
    callback({ responseHeaders: headers });
  });
}

// Every web contents, now and later: no navigation away, no new windows, no webviews.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // A console in its own window: only the app's own console route, with the same locked-down
    // preferences as the main window.
    if (isAppUrl(url) && new URL(url).hash.startsWith('#/console/')) {
      return { action: 'allow', overrideBrowserWindowOptions: windowOptions({ width: 900, height: 600 }) };
    }
    // A web link from a console: the page asks first, but a compromised page would not, so the
    // main process asks again before handing it to the system browser.
    if (isWebLink(url)) {
      confirmOpenExternal(contents, url).catch((err: unknown) => console.error('domus: could not open the link:', err));
    }
    return { action: 'deny' };
  });
  contents.on('did-create-window', (win) => track(win));
});

function isWebLink(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

async function confirmOpenExternal(from: WebContents, url: string): Promise<void> {
  const parent = BrowserWindow.fromWebContents(from);
  const options: MessageBoxOptions = {
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Domus',
    message: 'Open this link in your web browser?',
    detail: url,
  };
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  if (response === 0) await shell.openExternal(url);
}

function track(win: BrowserWindow): void {
  appWindows.add(win);
  win.on('closed', () => appWindows.delete(win));
}

function buildMenu() {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      // No reload and no DevTools in a packaged app.
      submenu: [
        ...(app.isPackaged
          ? []
          : ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Xen Project Documentation', click: () => void shell.openExternal('https://xenbits.xen.org/docs/') },
        ...(isMac ? [] : [{ type: 'separator' } as MenuItemConstructorOptions, { role: 'about' } as MenuItemConstructorOptions]),
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function windowOptions(size: { width: number; height: number }): BrowserWindowConstructorOptions {
  return {
    ...size,
    minWidth: 500,
    minHeight: 300,
    title: 'Domus',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !app.isPackaged,
    },
  };
}

function createWindow() {
  const win = new BrowserWindow({ ...windowOptions({ width: 1280, height: 820 }), minWidth: 800, minHeight: 500, show: false });
  track(win);
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  void win.loadURL(DEV_URL ? DEV_URL.toString() : APP_URL);
}

ipcMain.handle(IPC_CALL, async (e, method: unknown, params: unknown): Promise<CallResult> => {
  if (!trustedSender(e)) {
    return { ok: false, error: { code: 'permission_denied', message: 'This call did not come from the Domus window.' } };
  }
  if (!backendReady) return { ok: false, error: { code: 'internal', message: 'Domus is still starting.' } };
  const { dispatch } = await backendReady;
  return dispatch(typeof method === 'string' ? method : String(method), params);
});

// A byte stream (console): check the sender and the stream's one-time token, then hand the page
// one end of a fresh MessageChannel; the preload passes it on to the page.
ipcMain.handle(IPC_STREAM, async (e, streamId: unknown, token: unknown): Promise<CallResult> => {
  if (!trustedSender(e)) {
    return { ok: false, error: { code: 'permission_denied', message: 'This request did not come from the Domus window.' } };
  }
  if (!backendReady) return { ok: false, error: { code: 'internal', message: 'Domus is still starting.' } };
  const { streams } = await backendReady;
  if (typeof streamId !== 'string' || typeof token !== 'string' || !streams.canAttach(streamId, token)) {
    return { ok: false, error: { code: 'permission_denied', message: 'That console stream does not exist or is already in use.' } };
  }
  const { port1, port2 } = new MessageChannelMain();
  attachStreamPort(streams, streamId, token, port1);
  e.sender.postMessage(IPC_STREAM, { streamId }, [port2]);
  return { ok: true, value: null };
});

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.whenReady().then(() => {
  if (!gotLock) return;
  lockDownSession();
  serveAppProtocol();
  buildMenu();

  const bus = new EventBus();
  bus.subscribe((message) => {
    for (const win of appWindows) if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, message);
  });
  const dir = configDir();
  const secrets = new SafeStorageSecretStore(path.join(dir, 'secrets.safe.json'), safeStorage);
  const ready = Promise.resolve()
    .then(() => createBackend({ configDir: dir, secrets, bus, mode: 'electron' }))
    .then((backend) => ({ dispatch: createDispatcher(backend), close: () => backend.close(), streams: backend.streams }));
  ready.catch((err: unknown) => {
    console.error('domus: the backend did not start:', err);
  });
  backendReady = ready;

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !backendReady) return;
  quitting = true;
  event.preventDefault();
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
  void Promise.race([backendReady.then((b) => b.close()).catch(() => {}), timeout]).finally(() => app.quit());
});

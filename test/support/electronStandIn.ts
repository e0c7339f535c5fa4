// A stand-in for the parts of Electron 45's main-process API that electron/main.ts uses, so its
// startup wiring runs in plain Node (Electron's binary cannot be downloaded here). It follows
// the documented shapes (electron.d.ts of electron@45): events carry `preventDefault()`,
// `setWindowOpenHandler` returns `{ action, overrideBrowserWindowOptions }`, permission handlers
// get callbacks, `protocol.handle` takes a function from Request to Response. It records what
// main.ts did (windows, handlers, menu, external opens, dialogs) for the tests to inspect and
// drive. resetElectron() makes it a freshly started Electron again (tests load main.ts anew).
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

type Listener = (...args: any[]) => unknown;

/** Electron's Event: listeners call preventDefault() to refuse. */
export interface StandInEvent {
  preventDefault(): void;
  readonly defaultPrevented: boolean;
  [key: string]: unknown;
}
export function electronEvent(fields: Record<string, unknown> = {}): StandInEvent {
  let prevented = false;
  return {
    ...fields,
    preventDefault() {
      prevented = true;
    },
    get defaultPrevented() {
      return prevented;
    },
  };
}

let nextId = 1;

export class WebFrameMain {
  parent: WebFrameMain | null = null;
  readonly processId: number;
  readonly routingId: number;
  constructor(public url: string, ids?: { processId: number; routingId: number }) {
    this.processId = ids?.processId ?? 1;
    this.routingId = ids?.routingId ?? nextId++;
  }
}

export class WebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame = new WebFrameMain('');
  windowOpenHandler: ((details: { url: string; frameName: string; features: string; disposition: string }) => unknown) | undefined;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  setWindowOpenHandler(handler: WebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  postMessage(channel: string, message: unknown, transfer?: unknown[]): void {
    this.sent.push({ channel, args: [message, transfer] });
  }
  /** What Electron does when the page calls window.open(url): ask the handler, maybe create a window. */
  openWindow(url: string): { action: string; overrideBrowserWindowOptions?: BrowserWindowConstructorOptions } {
    const result = (this.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' }) ?? {
      action: 'allow',
    }) as { action: string; overrideBrowserWindowOptions?: BrowserWindowConstructorOptions };
    if (result.action === 'allow') {
      const child = new BrowserWindow(result.overrideBrowserWindowOptions ?? {});
      child.webContents.mainFrame.url = url;
      this.emit('did-create-window', child, { url });
    }
    return result;
  }
}

export interface BrowserWindowConstructorOptions {
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  readonly webContents = new WebContents();
  readonly loaded: string[] = [];
  visible = false;
  destroyed = false;
  constructor(readonly options: BrowserWindowConstructorOptions = {}) {
    super();
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', electronEvent(), this.webContents);
  }
  static fromWebContents(wc: WebContents): BrowserWindow | null {
    return BrowserWindow.all.find((w) => w.webContents === wc) ?? null;
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.mainFrame.url = url;
  }
  show(): void {
    this.visible = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

class App extends EventEmitter {
  isPackaged = false;
  sandboxEnabled = false;
  quitCalls = 0;
  private readyDone = false;
  private readyResolve!: () => void;
  private ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.sandboxEnabled = false;
    this.quitCalls = 0;
    this.readyDone = false;
    this.ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  quit(): void {
    this.quitCalls++;
  }
  isReady(): boolean {
    return this.readyDone;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  /** Test hook: what Electron does once it has initialised. */
  async emitReady(): Promise<void> {
    this.readyDone = true;
    this.readyResolve();
    this.emit('ready');
    await this.ready;
    await new Promise((r) => setImmediate(r));
  }
}
export const app = new App();

type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;
export const ipcMain = {
  handlers: new Map<string, IpcHandler>(),
  handle(channel: string, handler: IpcHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
};

export const protocol = {
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    // Electron: "can only be used before the ready event of the app module gets emitted".
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged must be called before app is ready');
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    if (!app.isReady()) throw new Error('protocol.handle must be called after app is ready');
    if (this.handlers.has(scheme)) throw new Error(`The scheme '${scheme}' is already handled`);
    this.handlers.set(scheme, handler);
  },
};

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
) => void;
export const session = {
  defaultSession: {
    permissionRequestHandler: undefined as undefined | ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void),
    permissionCheckHandler: undefined as undefined | ((wc: unknown, permission: string, origin: string, details: unknown) => boolean),
    devicePermissionHandler: undefined as undefined | ((details: unknown) => boolean),
    setPermissionRequestHandler(h: NonNullable<typeof this.permissionRequestHandler>): void {
      this.permissionRequestHandler = h;
    },
    setPermissionCheckHandler(h: NonNullable<typeof this.permissionCheckHandler>): void {
      this.permissionCheckHandler = h;
    },
    setDevicePermissionHandler(h: NonNullable<typeof this.devicePermissionHandler>): void {
      this.devicePermissionHandler = h;
    },
    webRequest: {
      headersReceived: undefined as HeadersListener | undefined,
      onHeadersReceived(listener: HeadersListener): void {
        this.headersReceived = listener;
      },
    },
  },
};

/** Reversible, like the real one on a machine with a keyring; not encryption. */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from(`enc:${s}`),
  decryptString: (b: Buffer) => b.toString().replace(/^enc:/, ''),
};

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  },
};

export const dialog = {
  /** The button index the user "clicks" in the next message boxes. */
  answer: 1,
  shown: [] as { window: unknown; options: Record<string, unknown> }[],
  async showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    const [window, options] = args.length > 1 ? args : [undefined, args[0]];
    this.shown.push({ window, options: options as Record<string, unknown> });
    return { response: this.answer, checkboxChecked: false };
  },
};

export interface MenuItemConstructorOptions {
  role?: string;
  label?: string;
  type?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItemConstructorOptions[];
}
export const Menu = {
  application: undefined as { items: MenuItemConstructorOptions[] } | null | undefined,
  buildFromTemplate(template: MenuItemConstructorOptions[]): { items: MenuItemConstructorOptions[] } {
    return { items: template };
  },
  setApplicationMenu(menu: { items: MenuItemConstructorOptions[] } | null): void {
    this.application = menu;
  },
};

export const net = {
  /** Only what main.ts fetches: file: URLs of the renderer's files. */
  async fetch(url: string): Promise<Response> {
    if (!url.startsWith('file:')) throw new Error(`stand-in net.fetch serves only file: URLs, not ${url}`);
    return new Response(await readFile(fileURLToPath(url)), { status: 200 });
  },
};

export class MessageChannelMain {
  readonly port1 = new EventEmitter();
  readonly port2 = new EventEmitter();
}

export type IpcMainInvokeEvent = { sender: WebContents; senderFrame: WebFrameMain | null };

export function resetElectron(): void {
  app.reset();
  BrowserWindow.all.length = 0;
  ipcMain.handlers.clear();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  const ses = session.defaultSession;
  ses.permissionRequestHandler = undefined;
  ses.permissionCheckHandler = undefined;
  ses.devicePermissionHandler = undefined;
  ses.webRequest.headersReceived = undefined;
  shell.opened.length = 0;
  dialog.answer = 1;
  dialog.shown.length = 0;
  Menu.application = undefined;
}

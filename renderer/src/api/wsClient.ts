// The browser-mode implementation: one WebSocket to ws(s)://<host>/api. The session cookie and
// the page key (offered as a subprotocol, see pageKey.ts) authenticate it. Calls are correlated by id; events fan out by name; on close
// every pending call fails with connection_lost and the client reconnects with backoff.
import type { CallMessage, ServerMessage } from '../../../electron/api/wire';
import { openWebSocketStream, type ByteStream } from './streams';
import {
  ApiClientError,
  isApiError,
  type BackendStatus,
  type DomusClient,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from './client';

/** The part of the WebSocket API this client uses, so tests can inject a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export interface WsClientOptions {
  url?: string;
  /** Subprotocols offered on every handshake (API and streams): pageKeyProtocols(key). */
  protocols?: string[];
  /** Defaults to the browser's WebSocket. */
  createSocket?: WebSocketFactory;
  /** First reconnect delay; doubles per failed attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const OPEN = 1;

type Pending = {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: ApiClientError) => void;
};
type Handler = (payload: unknown) => void;

export function defaultWsUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api`;
}

function lostError(method: string): ApiClientError {
  return new ApiClientError(
    {
      code: 'connection_lost',
      message: 'The connection to the Domus backend was lost before it answered.',
      detail: `call ${method}: WebSocket closed`,
    },
    true,
  );
}

export class WsClient implements DomusClient {
  private socket: WebSocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Calls made while the socket is still connecting: sent on open. */
  private outbox: CallMessage[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly statusHandlers = new Set<(s: BackendStatus) => void>();
  private currentStatus: BackendStatus = 'connecting';
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly url: string;
  private readonly protocols: string[];
  private readonly createSocket: WebSocketFactory;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(opts: WsClientOptions = {}) {
    this.url = opts.url ?? defaultWsUrl();
    this.protocols = opts.protocols ?? [];
    this.createSocket = opts.createSocket ?? ((url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike);
    this.initialDelayMs = opts.initialDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 10_000;
    this.open();
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    if (this.closed || (this.currentStatus === 'lost' && !this.socket)) {
      return Promise.reject(lostError(method));
    }
    const id = this.nextId++;
    const msg: CallMessage = { type: 'call', id, method, params: input };
    return new Promise<MethodOutput<M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(msg));
      else this.outbox.push(msg);
    });
  }

  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    const h = handler as Handler;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  status(): BackendStatus {
    return this.currentStatus;
  }

  onStatus(handler: (s: BackendStatus) => void): () => void {
    this.statusHandlers.add(handler);
    return () => {
      this.statusHandlers.delete(handler);
    };
  }

  retryNow(): void {
    if (this.closed || this.socket) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.open();
  }

  openStream(streamId: string, token: string): ByteStream {
    return openWebSocketStream(streamId, token, this.protocols);
  }

  /** Stops for good: fails pending calls and does not reconnect. */
  dispose(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onclose = s.onerror = null;
      s.onmessage = null;
      s.close();
    }
    this.failAll();
  }

  /** Pending count, for tests and diagnostics. */
  get pendingCount(): number {
    return this.pending.size;
  }

  private setStatus(s: BackendStatus) {
    if (s === this.currentStatus) return;
    this.currentStatus = s;
    for (const h of [...this.statusHandlers]) h(s);
  }

  private open() {
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.url, this.protocols);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      const queued = this.outbox;
      this.outbox = [];
      for (const m of queued) socket.send(JSON.stringify(m));
      this.setStatus('open');
    };
    socket.onmessage = (ev) => this.handleMessage(ev.data);
    socket.onerror = () => {
      // A close event always follows; handled there.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failAll();
      if (this.closed) return;
      this.setStatus('lost');
      this.scheduleReconnect();
    };
  }

  private failAll() {
    this.outbox = [];
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(lostError(p.method));
  }

  private scheduleReconnect() {
    if (this.closed || this.timer) return;
    const delay = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** this.attempt);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open();
    }, delay);
  }

  private handleMessage(data: unknown) {
    if (typeof data !== 'string') return;
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      console.warn('domus: ignoring a message that is not JSON');
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'result') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else
        p.reject(
          new ApiClientError(
            isApiError(msg.error)
              ? msg.error
              : { code: 'internal', message: 'Malformed error', detail: JSON.stringify(msg.error) },
          ),
        );
    } else if (msg.type === 'event') {
      // Events are not validated again here. The trust boundary is the other way round (the
      // backend validates every call from the renderer); events come from our own backend over
      // a socket only it can open (session cookie, page key, Origin check), and its EventBus has already
      // checked each against the contract's zod schema before sending (a guests.changed of 900
      // guests: about 0.3 ms in Node). Parsing 900 guests again per xentop tick here would cost
      // the page more than rendering the change does.
      const set = this.handlers.get(msg.name);
      if (!set) return;
      for (const h of [...set]) {
        try {
          h(msg.payload);
        } catch (err) {
          console.error('domus: event handler failed', err);
        }
      }
    }
  }
}

export function createWsClient(opts?: WsClientOptions): WsClient {
  return new WsClient(opts);
}

// The renderer's side of byte streams (consoles, VNC). One ByteStream class speaks the protocol
// of electron/api/wire.ts; a "carrier" moves its messages: a WebSocket at /stream in browser
// mode, a MessagePort from the preload in Electron. Consumers call ack(n) once they have used n
// bytes (xterm parsed them, noVNC took them): the backend never has more than its high
// watermark unacknowledged, so a flooding guest slows down instead of flooding this page.
import { STREAM_PATH, type StreamClientControl, type StreamEndReason, type StreamServerControl } from '../../../electron/api/wire';

export type { StreamEndReason };

export interface StreamEnd {
  reason: StreamEndReason;
  message: string;
}

/** Largest input frame sent (the backend refuses frames over 64 KiB). */
export const INPUT_FRAME = 16 * 1024;

export interface StreamCarrier {
  send(message: Uint8Array | StreamClientControl): void;
  close(): void;
}

type Listener<T> = (value: T) => void;

export class ByteStream {
  private carrier: StreamCarrier | null = null;
  private pendingOut: (Uint8Array | StreamClientControl)[] = [];
  private dataListeners = new Set<Listener<Uint8Array>>();
  private openListeners = new Set<Listener<void>>();
  private endListeners = new Set<Listener<StreamEnd>>();
  private endValue: StreamEnd | null = null;

  constructor(readonly id: string) {}

  onData(fn: Listener<Uint8Array>): () => void {
    this.dataListeners.add(fn);
    return () => this.dataListeners.delete(fn);
  }
  onOpen(fn: Listener<void>): () => void {
    this.openListeners.add(fn);
    return () => this.openListeners.delete(fn);
  }
  onEnd(fn: Listener<StreamEnd>): () => void {
    this.endListeners.add(fn);
    return () => this.endListeners.delete(fn);
  }

  /** Bytes (or text, sent as UTF-8) for the host, split into frames the backend accepts. */
  send(data: Uint8Array | string): void {
    if (this.endValue) return;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    for (let i = 0; i < bytes.length; i += INPUT_FRAME) this.post(bytes.slice(i, i + INPUT_FRAME));
  }

  /** n more received bytes have been consumed. */
  ack(n: number): void {
    if (n <= 0 || this.endValue) return;
    this.post({ t: 'ack', bytes: n });
  }

  resize(cols: number, rows: number): void {
    if (this.endValue) return;
    this.post({ t: 'resize', cols: Math.max(2, Math.min(1000, cols)), rows: Math.max(1, Math.min(1000, rows)) });
  }

  /** Ends the stream (and its channel on the host). */
  close(): void {
    if (this.endValue) return;
    this.post({ t: 'close' });
    this.finish({ reason: 'closed', message: 'Closed.' });
  }

  // --- for the carriers ---------------------------------------------------------------------

  attachCarrier(c: StreamCarrier): void {
    if (this.endValue) {
      c.close();
      return;
    }
    this.carrier = c;
    const queued = this.pendingOut;
    this.pendingOut = [];
    for (const m of queued) c.send(m);
  }

  /** A message from the backend. */
  receive(msg: Uint8Array | StreamServerControl): void {
    if (this.endValue) return;
    if (msg instanceof Uint8Array) {
      for (const fn of [...this.dataListeners]) fn(msg);
      return;
    }
    if (msg.t === 'open') {
      for (const fn of [...this.openListeners]) fn();
    } else if (msg.t === 'end') {
      this.finish({ reason: msg.reason, message: msg.message });
    }
  }

  /** The carrier went away (socket closed, attach refused). */
  carrierClosed(message: string): void {
    this.finish({ reason: 'connection_lost', message });
  }

  private post(m: Uint8Array | StreamClientControl) {
    if (this.carrier) this.carrier.send(m);
    else this.pendingOut.push(m);
  }

  private finish(end: StreamEnd) {
    if (this.endValue) return;
    this.endValue = end;
    const c = this.carrier;
    this.carrier = null;
    c?.close();
    for (const fn of [...this.endListeners]) fn(end);
  }
}

/** Parses a control message that arrived as JSON text (browser mode). */
function parseServerControl(text: string): StreamServerControl | null {
  try {
    const v = JSON.parse(text) as StreamServerControl;
    return v && typeof v === 'object' && (v.t === 'open' || v.t === 'end') ? v : null;
  } catch {
    return null;
  }
}

/**
 * Browser mode: a WebSocket at /stream?id=&token= (the session cookie goes along by itself; the
 * page key goes in `protocols`, as for the API socket).
 */
export function openWebSocketStream(
  streamId: string,
  token: string,
  protocols: string[] = [],
  loc: Pick<Location, 'protocol' | 'host'> = location,
): ByteStream {
  const s = new ByteStream(streamId);
  const url = `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${STREAM_PATH}?id=${encodeURIComponent(streamId)}&token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(url, protocols);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () =>
    s.attachCarrier({
      send: (m) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(m instanceof Uint8Array ? m : JSON.stringify(m));
      },
      close: () => ws.close(1000),
    });
  ws.onmessage = (ev: MessageEvent) => {
    if (ev.data instanceof ArrayBuffer) s.receive(new Uint8Array(ev.data));
    else if (typeof ev.data === 'string') {
      const c = parseServerControl(ev.data);
      if (c) s.receive(c);
    }
  };
  ws.onclose = () => s.carrierClosed('The connection to the Domus backend closed.');
  return s;
}

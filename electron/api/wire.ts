// How calls and events travel, the same in both adapters. The preload bridge carries these
// objects over IPC; browser mode carries them as JSON text over one WebSocket.
import { z } from 'zod';
import { ApiError } from './errors';

export const CallMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  params: z.unknown(),
});
export type CallMessage = z.infer<typeof CallMessage>;

/** Errors travel as values so their code and detail survive every boundary. */
export type CallResult = { ok: true; value: unknown } | { ok: false; error: ApiError };

export type ResultMessage = { type: 'result'; id: number } & CallResult;
export type EventMessage = { type: 'event'; name: string; payload: unknown };
export type ServerMessage = ResultMessage | EventMessage;

/** IPC channel names used by main.ts and preload.ts. */
export const IPC_CALL = 'domus:call';
export const IPC_EVENT = 'domus:event';

/**
 * What the Electron preload exposes as `window.domus` (and what a browser-mode WebSocket client
 * should offer the rest of the renderer, so both look the same from the UI's side).
 */
export interface DomusBridge {
  invoke(method: string, params?: unknown): Promise<CallResult>;
  /** Every event from the backend; returns the unsubscribe function. */
  on(listener: (event: EventMessage) => void): () => void;
  /**
   * Attaches to a byte stream. The MessagePort cannot cross the context bridge, so it arrives
   * in the page as a window 'message' event { type: STREAM_PORT_MESSAGE, streamId } with the port
   * in event.ports[0]; the promise settles once it was sent (or with the reason it was not).
   */
  openStream?(streamId: string, token: string): Promise<CallResult>;
}

/** The window message type that carries a stream's MessagePort into the page (Electron). */
export const STREAM_PORT_MESSAGE = 'domus:stream-port';

// ---------------------------------------------------------------------------------------------
// Byte streams (consoles, VNC): the same protocol on both adapters. A stream is opened by an API
// call that returns { streamId, token }; the renderer attaches with them (browser mode: a
// WebSocket at STREAM_PATH?id=&token=; Electron: DomusBridge.openStream → a MessagePort).
// Data travels as binary frames (ArrayBuffer / Uint8Array) in both directions; control
// messages are JSON text (WebSocket) or plain objects (MessagePort).

export const STREAM_PATH = '/stream';

// Browser mode's second secret. The session cookie reaches every server on 127.0.0.1 the browser
// visits (cookies ignore ports), so it cannot be enough on its own: sign-in also hands the page a
// key, in the redirect's fragment (#domus-key=<key>, never sent to any server). The page keeps it
// in sessionStorage (per tab and per origin, port included) and offers it on every WebSocket
// handshake as the subprotocol WS_KEY_PREFIX + key, beside WS_PROTOCOL, which the server picks.
export const WS_PROTOCOL = 'domus.v1';
export const WS_KEY_PREFIX = 'domus.key.';
export const PAGE_KEY_FRAGMENT = 'domus-key';
export const IPC_STREAM = 'domus:stream';

export const StreamEndReason = z.enum(['exited', 'connection_lost', 'closed', 'error']);
export type StreamEndReason = z.infer<typeof StreamEndReason>;

/** Backend → renderer. 'open': attached, bytes follow; 'end': nothing more will come. */
export type StreamServerControl = { t: 'open' } | { t: 'end'; reason: StreamEndReason; message: string };

/**
 * Renderer → backend. 'ack': this many more received bytes have been consumed (parsed by xterm,
 * handed to noVNC); the backend sends at most its high watermark of unacknowledged bytes.
 */
export const StreamClientControl = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ack'), bytes: z.number().int().positive().max(1 << 30) }).strict(),
  z.object({ t: z.literal('resize'), cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(1000) }).strict(),
  z.object({ t: z.literal('close') }).strict(),
]);
export type StreamClientControl = z.infer<typeof StreamClientControl>;

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
}

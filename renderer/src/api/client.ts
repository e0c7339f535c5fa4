// The one API client interface the UI knows. Two implementations: preloadClient (Electron, via
// window.domus) and wsClient (browser mode, one WebSocket). Components get it from React context
// (ClientProvider / useClient) and never learn which one they have.
import type { ApiError, ErrorCode } from '../../../electron/api/errors';
import type { EventName, EventPayload } from '../../../electron/api/events';
import type { MethodInput, MethodName, MethodOutput } from '../../../electron/api/methods';
import type { ByteStream } from './streams';

export type { EventName, EventPayload, MethodInput, MethodName, MethodOutput };

/** How the renderer reaches the backend: 'connecting' before the first contact, 'open' while it
 *  works, 'lost' after the connection dropped until it is back (reconnect attempts included). */
export type BackendStatus = 'connecting' | 'open' | 'lost';

export interface DomusClient {
  /** Resolves with the method's output; rejects with an ApiClientError. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Subscribes to one backend event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
  /** Current backend status and its changes (always 'open' for the Electron bridge). */
  status(): BackendStatus;
  onStatus(handler: (status: BackendStatus) => void): () => void;
  /** Try to reach the backend again now instead of waiting for the next backoff step. */
  retryNow(): void;
  /** Attaches to a byte stream opened by an API call (e.g. 'console.open'), with its one-time token. */
  openStream(streamId: string, token: string): ByteStream;
}

/** Codes the client itself produces (not the backend); the UI has its own words for them. */
export const LOCAL_ERROR_CODES = ['connection_lost', 'internal'] as const;

export class ApiClientError extends Error implements ApiError {
  readonly code: ErrorCode;
  readonly detail?: string;
  /** True when the client made this error itself (backend unreachable, bad message). */
  readonly local: boolean;

  constructor(error: ApiError, local = false) {
    super(error.message);
    this.name = 'ApiClientError';
    this.code = error.code;
    this.detail = error.detail;
    this.local = local;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}

/** Turns anything thrown into an ApiClientError so the UI has one shape to show. */
export function toClientError(err: unknown): ApiClientError {
  if (err instanceof ApiClientError) return err;
  if (isApiError(err)) return new ApiClientError(err);
  const msg = err instanceof Error ? err.message : String(err);
  return new ApiClientError({ code: 'internal', message: msg, detail: msg }, true);
}

// The Electron implementation: window.domus, exposed by electron/preload.ts.
import { STREAM_PORT_MESSAGE, type CallResult, type DomusBridge, type StreamServerControl } from '../../../electron/api/wire';
import { ByteStream } from './streams';

export type { DomusBridge };
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

declare global {
  interface Window {
    domus?: DomusBridge;
  }
}

type Handler = (payload: unknown) => void;

export function createPreloadClient(bridge: DomusBridge): DomusClient {
  const handlers = new Map<string, Set<Handler>>();
  let unsubscribeBridge: (() => void) | null = null;

  function ensureSubscribed() {
    if (unsubscribeBridge) return;
    unsubscribeBridge = bridge.on((msg) => {
      const set = handlers.get(msg.name);
      if (!set) return;
      for (const h of [...set]) {
        try {
          h(msg.payload);
        } catch (err) {
          console.error('domus: event handler failed', err);
        }
      }
    });
  }

  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      let result: CallResult;
      try {
        result = await bridge.invoke(method, input);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new ApiClientError({ code: 'internal', message: msg, detail: msg }, true);
      }
      if (result.ok) return result.value as MethodOutput<M>;
      const error = isApiError(result.error)
        ? result.error
        : { code: 'internal' as const, message: 'Malformed error', detail: JSON.stringify(result.error) };
      throw new ApiClientError(error);
    },
    on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void) {
      ensureSubscribed();
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      const h = handler as Handler;
      set.add(h);
      return () => {
        set.delete(h);
      };
    },
    openStream(streamId: string, token: string): ByteStream {
      const s = new ByteStream(streamId);
      if (!bridge.openStream) {
        queueMicrotask(() => s.carrierClosed('This Domus window cannot open consoles.'));
        return s;
      }
      // The preload posts the stream's MessagePort into the page (it cannot cross the bridge).
      const onMessage = (ev: MessageEvent) => {
        const d = ev.data as { type?: unknown; streamId?: unknown } | null;
        if (ev.source !== window || !d || d.type !== STREAM_PORT_MESSAGE || d.streamId !== streamId) return;
        const port = ev.ports[0];
        if (!port) return;
        window.removeEventListener('message', onMessage);
        port.onmessage = (e: MessageEvent) => s.receive(e.data as Uint8Array | StreamServerControl);
        port.start();
        s.attachCarrier({ send: (m) => port.postMessage(m), close: () => port.close() });
      };
      window.addEventListener('message', onMessage);
      bridge.openStream(streamId, token).then(
        (r) => {
          if (!r.ok) {
            window.removeEventListener('message', onMessage);
            s.carrierClosed(r.error.message);
          }
        },
        (err: unknown) => {
          window.removeEventListener('message', onMessage);
          s.carrierClosed(err instanceof Error ? err.message : String(err));
        },
      );
      return s;
    },
    status: (): BackendStatus => 'open',
    onStatus: () => () => {},
    retryNow: () => {},
  };
}

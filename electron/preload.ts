// The whole bridge between the sandboxed renderer and the main process: invoke and on.
// Built as CommonJS (sandboxed preloads cannot be ES modules). It imports nothing from the
// contract at runtime (that would bundle zod here); the types keep the channel names in sync.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallResult, DomusBridge, EventMessage, IPC_CALL, IPC_EVENT, IPC_STREAM, STREAM_PORT_MESSAGE } from './api/wire';

const CALL: typeof IPC_CALL = 'domus:call';
const EVENT: typeof IPC_EVENT = 'domus:event';
const STREAM: typeof IPC_STREAM = 'domus:stream';
const PORT_MESSAGE: typeof STREAM_PORT_MESSAGE = 'domus:stream-port';

// A stream's MessagePort cannot cross the context bridge: pass it to the page by postMessage.
ipcRenderer.on(STREAM, (e: IpcRendererEvent, msg: { streamId: string }) => {
  window.postMessage({ type: PORT_MESSAGE, streamId: String(msg.streamId) }, window.location.origin, [...e.ports]);
});

const bridge: DomusBridge = {
  invoke(method: string, params?: unknown): Promise<CallResult> {
    if (typeof method !== 'string') return Promise.reject(new TypeError('method must be a string'));
    return ipcRenderer.invoke(CALL, method, params) as Promise<CallResult>;
  },
  on(listener: (event: EventMessage) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    // Never hand the IpcRendererEvent (and its sender) to the page.
    const wrapped = (_e: IpcRendererEvent, message: EventMessage) => listener(message);
    ipcRenderer.on(EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT, wrapped);
    };
  },
  openStream(streamId: string, token: string): Promise<CallResult> {
    return ipcRenderer.invoke(STREAM, String(streamId), String(token)) as Promise<CallResult>;
  },
};

contextBridge.exposeInMainWorld('domus', bridge);

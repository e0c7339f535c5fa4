// Electron's stream path: one MessagePort per stream (MessageChannelMain in the main process,
// handed to the page by the preload). Uint8Array messages carry bytes; plain objects carry the
// same control messages as browser mode's text frames. Plain Node: main.ts passes the port.
import { handleClientMessage } from './clientMessages';
import type { StreamRegistry } from './registry';

/** The part of Electron's MessagePortMain this needs. */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export function attachStreamPort(streams: StreamRegistry, id: string, token: string, port: PortLike): void {
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    port.close();
  };
  const peer = streams.attach(id, token, {
    // A copy: the frame may be a view into a larger buffer that must not be cloned whole.
    data: (frame) => open && port.postMessage(new Uint8Array(frame)),
    control: (msg) => open && port.postMessage(msg),
    close,
  });
  port.on('message', (e) => {
    const d = e.data;
    const msg = d instanceof Uint8Array ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : d;
    if (handleClientMessage(peer, msg) === 'violation') {
      peer.detach();
      close();
    }
  });
  port.on('close', () => {
    open = false;
    peer.detach();
  });
  port.start();
}

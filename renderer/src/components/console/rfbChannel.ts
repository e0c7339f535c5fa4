// noVNC's RFB takes any object shaped like a WebSocket ("raw channel"); this one carries the VNC
// bytes over a Domus ByteStream. noVNC copies each message into its receive queue at once, so a
// message is acknowledged as soon as noVNC has taken it.
import type { RfbChannel } from '@novnc/novnc';
import type { ByteStream } from '../../api/streams';

export class StreamRfbChannel implements RfbChannel {
  binaryType = 'arraybuffer';
  protocol = '';
  readyState: string = 'connecting';
  onopen: ((ev?: unknown) => void) | null = null;
  onmessage: ((ev: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((ev?: unknown) => void) | null = null;
  onerror: ((ev?: unknown) => void) | null = null;

  constructor(private readonly stream: ByteStream) {
    stream.onOpen(() => {
      this.readyState = 'open';
      this.onopen?.();
    });
    stream.onData((bytes) => {
      const copy = bytes.slice().buffer;
      this.onmessage?.({ data: copy });
      stream.ack(bytes.length);
    });
    stream.onEnd((end) => {
      this.readyState = 'closed';
      this.onclose?.({ code: 1000, reason: end.message, wasClean: end.reason !== 'error' });
    });
  }

  send(data: ArrayBuffer | Uint8Array): void {
    this.stream.send(data instanceof Uint8Array ? data.slice() : new Uint8Array(data));
  }

  close(): void {
    this.readyState = 'closed';
    this.stream.close();
  }
}

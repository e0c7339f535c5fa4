// What the renderer may send on an attached stream, the same for both adapters: binary frames
// are input for the host, anything else must be a StreamClientControl. A client that breaks the
// protocol (bad control, impossible acknowledgement, oversized input) loses the stream.
import { StreamClientControl } from '../api/wire';
import { MAX_INPUT_FRAME, type StreamPeer } from './registry';

export type ClientMessageOutcome = 'ok' | 'closed' | 'violation';

export function handleClientMessage(peer: StreamPeer, msg: Buffer | unknown): ClientMessageOutcome {
  if (Buffer.isBuffer(msg)) {
    if (msg.length > MAX_INPUT_FRAME) return 'violation';
    peer.input(msg);
    return 'ok';
  }
  const parsed = StreamClientControl.safeParse(msg);
  if (!parsed.success) return 'violation';
  const c = parsed.data;
  if (c.t === 'ack') return peer.ack(c.bytes) ? 'ok' : 'violation';
  if (c.t === 'resize') {
    peer.resize(c.cols, c.rows);
    return 'ok';
  }
  peer.detach();
  return 'closed';
}

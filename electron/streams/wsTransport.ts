// Browser mode's stream path: one WebSocket per stream at /stream?id=<id>&token=<token>, after
// the same Host/Origin/session-cookie checks as /api (done by serve.ts). Binary frames carry
// bytes, text frames carry JSON control messages.
import type { RawData, WebSocket } from 'ws';
import { StreamId } from '../api/consoles';
import { handleClientMessage } from './clientMessages';
import type { StreamRegistry } from './registry';

export function streamQuery(url: string, origin: string): { id: string; token: string } | null {
  try {
    const q = new URL(url, origin).searchParams;
    const id = q.get('id');
    const token = q.get('token');
    if (!id || !token || !StreamId.safeParse(id).success || token.length > 100) return null;
    return { id, token };
  } catch {
    return null;
  }
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function attachStreamSocket(streams: StreamRegistry, id: string, token: string, ws: WebSocket): void {
  let peer: ReturnType<StreamRegistry['attach']>;
  try {
    peer = streams.attach(id, token, {
      data: (frame) => {
        if (ws.readyState === ws.OPEN) ws.send(frame, { binary: true });
      },
      control: (msg) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
      },
      close: () => {
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000, 'Stream ended');
      },
    });
  } catch {
    ws.close(1008, 'Stream not available');
    return;
  }
  ws.on('error', () => ws.terminate());
  ws.on('close', () => peer.detach());
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const buf = asBuffer(data);
    let msg: Buffer | unknown = buf;
    if (!isBinary) {
      try {
        msg = JSON.parse(buf.toString('utf8'));
      } catch {
        msg = null;
      }
    }
    const outcome = handleClientMessage(peer, msg);
    if (outcome === 'violation') {
      peer.detach();
      ws.close(1008, 'Stream protocol violation');
    }
  });
}

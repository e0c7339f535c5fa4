import { describe, expect, it } from 'vitest';
import { FlowControl } from '../../../electron/streams/flow';
import { StreamRegistry, type ByteSource, type StreamEnd } from '../../../electron/streams/registry';
import { handleClientMessage } from '../../../electron/streams/clientMessages';
import { withoutEscape } from '../../../electron/drivers/xl/console';
import { toKeystrokes } from '../../../renderer/src/components/console/keystrokes';

function fakeSource() {
  let out: { data(c: Buffer): void; end(e: StreamEnd): void } | null = null;
  const s = {
    paused: false,
    closed: false,
    written: [] as Buffer[],
    pauses: 0,
    start(o: typeof out) {
      out = o;
    },
    write(d: Buffer) {
      s.written.push(d);
    },
    pause() {
      s.paused = true;
      s.pauses++;
    },
    resume() {
      s.paused = false;
    },
    resize() {},
    close() {
      s.closed = true;
    },
    emit(d: Buffer) {
      out!.data(d);
    },
    end(e: StreamEnd) {
      out!.end(e);
    },
  };
  return s satisfies ByteSource & Record<string, unknown>;
}

describe('flow control', () => {
  it('never has more than the high watermark unacknowledged, pauses the source, resumes at the low one, keeps order', () => {
    const sent: Buffer[] = [];
    let paused = false;
    const f = new FlowControl({ send: (b) => sent.push(b), pause: () => (paused = true), resume: () => (paused = false) }, { high: 1000, low: 200, maxFrame: 300 });
    f.attach();
    const input = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    // The source keeps pushing in odd sizes even while paused (SSH's window lets some through).
    for (let i = 0; i < input.length; i += 333) f.push(input.subarray(i, i + 333));
    expect(f.unacked).toBeLessThanOrEqual(1000);
    expect(paused).toBe(true);
    const got: Buffer[] = [];
    let guard = 0;
    while (sent.length > 0 && guard++ < 1000) {
      const b = sent.shift()!;
      expect(b.length).toBeLessThanOrEqual(300);
      got.push(b);
      expect(f.ack(b.length)).toBe(true);
      expect(f.unacked).toBeLessThanOrEqual(1000);
    }
    expect(Buffer.concat(got).equals(input)).toBe(true);
    expect(paused).toBe(false);
    expect(f.maxUnacked).toBeLessThanOrEqual(1000);
  });

  it('does not resume until the held bytes fall to the low watermark', () => {
    const sent: Buffer[] = [];
    const events: string[] = [];
    const f = new FlowControl({ send: (b) => sent.push(b), pause: () => events.push('pause'), resume: () => events.push('resume') }, { high: 100, low: 40, maxFrame: 100 });
    f.attach();
    f.push(Buffer.alloc(100));
    expect(events).toEqual(['pause']);
    f.ack(50); // 50 held > low 40
    expect(events).toEqual(['pause']);
    f.ack(10); // 40 held
    expect(events).toEqual(['pause', 'resume']);
  });

  it('refuses acknowledgements of bytes never sent', () => {
    const f = new FlowControl({ send: () => {}, pause: () => {}, resume: () => {} }, { high: 100, low: 10, maxFrame: 50 });
    f.attach();
    f.push(Buffer.alloc(30));
    expect(f.ack(31)).toBe(false);
    expect(f.ack(0)).toBe(false);
    expect(f.ack(1.5)).toBe(false);
    expect(f.ack(30)).toBe(true);
  });

  it('holds bytes until a sink attaches', () => {
    const sent: Buffer[] = [];
    const f = new FlowControl({ send: (b) => sent.push(b), pause: () => {}, resume: () => {} }, { high: 100, low: 10, maxFrame: 50 });
    f.push(Buffer.from('hello'));
    expect(sent).toHaveLength(0);
    f.attach();
    expect(Buffer.concat(sent).toString()).toBe('hello');
  });
});

describe('stream registry', () => {
  const sink = () => {
    const s = { frames: [] as Buffer[], controls: [] as unknown[], closed: false };
    return {
      s,
      sink: { data: (f: Buffer) => s.frames.push(f), control: (c: unknown) => s.controls.push(c), close: () => (s.closed = true) },
    };
  };

  it('attaches only with the right token, once', () => {
    const reg = new StreamRegistry();
    const src = fakeSource();
    const { id, token } = reg.create(src);
    expect(reg.canAttach(id, 'x'.repeat(token.length))).toBe(false);
    expect(() => reg.attach(id, 'wrong', sink().sink)).toThrow(/does not exist or is already in use/);
    expect(reg.canAttach(id, token)).toBe(true);
    reg.attach(id, token, sink().sink);
    expect(reg.canAttach(id, token)).toBe(false);
    expect(() => reg.attach(id, token, sink().sink)).toThrow();
    expect(() => reg.attach('0'.repeat(32), token, sink().sink)).toThrow();
    reg.closeAll();
    expect(src.closed).toBe(true);
  });

  it('sends the end after every byte, and closes the source when the renderer goes', () => {
    const reg = new StreamRegistry({ high: 10, low: 2, maxFrame: 10 });
    const src = fakeSource();
    const { id, token } = reg.create(src);
    const a = sink();
    const peer = reg.attach(id, token, a.sink);
    src.emit(Buffer.from('0123456789abc'));
    src.end({ reason: 'exited', message: 'bye' });
    expect(a.s.controls).toEqual([{ t: 'open' }]); // 3 bytes still queued
    expect(peer.ack(10)).toBe(true);
    expect(Buffer.concat(a.s.frames).toString()).toBe('0123456789abc');
    expect(a.s.controls).toEqual([{ t: 'open' }, { t: 'end', reason: 'exited', message: 'bye' }]);
    expect(a.s.closed).toBe(true);
    expect(src.closed).toBe(true);
    expect(reg.stats(id)?.maxUnacked).toBeLessThanOrEqual(10);

    const src2 = fakeSource();
    const b = reg.create(src2);
    const p2 = reg.attach(b.id, b.token, sink().sink);
    p2.detach();
    expect(src2.closed).toBe(true);
    expect(reg.size).toBe(0);
  });

  it('closes a stream nobody attached to', async () => {
    const reg = new StreamRegistry();
    const src = fakeSource();
    reg.create(src, { attachTimeoutMs: 10 });
    await new Promise((r) => setTimeout(r, 30));
    expect(src.closed).toBe(true);
    expect(reg.size).toBe(0);
  });

  it('client messages: input, resize, ack; violations are reported', () => {
    const reg = new StreamRegistry();
    const src = fakeSource();
    const { id, token } = reg.create(src);
    const peer = reg.attach(id, token, sink().sink);
    expect(handleClientMessage(peer, Buffer.from('ls\r'))).toBe('ok');
    expect(Buffer.concat(src.written).toString()).toBe('ls\r');
    expect(handleClientMessage(peer, { t: 'resize', cols: 100, rows: 30 })).toBe('ok');
    expect(handleClientMessage(peer, { t: 'ack', bytes: 5 })).toBe('violation');
    expect(handleClientMessage(peer, { t: 'nope' })).toBe('violation');
    expect(handleClientMessage(peer, Buffer.alloc(65 * 1024))).toBe('violation');
    expect(handleClientMessage(peer, { t: 'close' })).toBe('closed');
    expect(src.closed).toBe(true);
  });
});

describe('console input', () => {
  it('drops the xl console escape byte (Ctrl-]) so input cannot detach', () => {
    expect(withoutEscape(Buffer.from('a\u001db')).toString()).toBe('ab');
    expect(withoutEscape(Buffer.from('\u001d')).length).toBe(0);
  });
  it('types line ends as Enter', () => {
    expect(toKeystrokes('a\r\nb\nc')).toEqual(['a', '\r', 'b', '\r', 'c']);
  });
});

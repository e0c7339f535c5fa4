import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../electron/transport/lineReader';

describe('LineReader', () => {
  it('joins a line split across chunks, including a character split in two', () => {
    const r = new LineReader(() => undefined);
    const euro = Buffer.from('€');
    expect(r.push(Buffer.concat([Buffer.from('a\nb'), euro.subarray(0, 1)]))).toEqual(['a']);
    expect(r.push(Buffer.concat([euro.subarray(1), Buffer.from('c\n\nd')])))
      .toEqual(['b€c', '']);
    expect(r.end()).toEqual(['d']);
  });

  it('keeps a line of exactly the limit, drops a longer one up to its newline, once reported', () => {
    const dropped: number[] = [];
    const r = new LineReader((limit) => dropped.push(limit), 4);
    expect(r.push('abcd\nabc')).toEqual(['abcd']);
    expect(r.push('de')).toEqual([]);
    expect(r.push('fgh')).toEqual([]);
    expect(r.push('ij\nok\n')).toEqual(['ok']);
    expect(dropped).toEqual([4]);
    expect(r.push('abcdefgh\n')).toEqual([]);
    expect(dropped).toEqual([4, 4]);
  });
});

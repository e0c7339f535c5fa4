import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import {
  XentopFrame,
  XentopStream,
  domainState,
  parseXentopBatch,
  parseXentopRow,
  xentopFlags,
  xentopSamples,
  type XentopFrame as Frame,
} from '../../../electron/drivers/xl/parse';

const fx = labFixture('xentop');
const text = fx.stdout;
const headerLines = text.split('\n').filter((l) => /^\s*NAME\s+STATE/.test(l));
const header = headerLines[0].trim().split(/\s+/).slice(1);
const iterations = Number(fx.argv[fx.argv.indexOf('-i') + 1]);

describe('parseXentopBatch on `xentop -b -i N -d 1`', () => {
  const frames = parseXentopBatch(text);

  it('returns one frame per iteration, each a valid frame', () => {
    expect(frames).toHaveLength(iterations);
    expect(frames).toHaveLength(headerLines.length);
    for (const f of frames) expect(XentopFrame.parse(f)).toEqual(f);
  });

  it('marks the first frame, whose CPU(%) xentop always prints as 0', () => {
    expect(frames[0].cpuPercentValid).toBe(false);
    for (const d of frames[0].domains) expect(d.cpuPercent).toBe(0);
    expect(frames.slice(1).every((f) => f.cpuPercentValid)).toBe(true);
  });

  it('has Domain-0 in every frame with the numbers as printed', () => {
    const rowText = text.split('\n').find((l) => l.trim().startsWith('Domain-0 '))!.trim().split(/\s+/);
    const d0 = frames[0].domains.find((d) => d.name === 'Domain-0')!;
    expect(d0.stateText).toBe(rowText[1]);
    expect(d0.cpuSeconds).toBe(Number(rowText[2]));
    expect(d0.memKiB).toBe(Number(rowText[4]));
    expect(d0.vcpus).toBe(Number(rowText[8]));
    expect(domainState(xentopFlags(d0.stateText))).toBe('running');
    for (const f of frames) expect(f.domains.some((d) => d.name === 'Domain-0')).toBe(true);
  });

  it('reads every domain row (names are right-aligned with leading spaces)', () => {
    const rows = text.split('\n').filter((l) => l.trim() && !/^\s*NAME\s/.test(l));
    expect(frames.reduce((n, f) => n + f.domains.length, 0)).toBe(rows.length);
    for (const f of frames) for (const d of f.domains) expect(d.name).toBe(d.name.trim());
  });

  it('reads MAXMEM "no limit" / "n/a" as null (a lab Domain-0 row with its maximum lifted)', () => {
    const row = text.split('\n').find((l) => l.trim().startsWith('Domain-0 '))!;
    const cols = row.trim().split(/\s+/);
    cols[6] = 'no limit';
    cols[7] = 'n/a';
    const d = parseXentopRow(cols.join('   '), header)!;
    expect(d.maxMemKiB).toBeNull();
    expect(d.maxMemPercent).toBeNull();
    expect(d.vcpus).toBe(Number(cols[8]));
    expect(d.ssid).toBe(Number(cols[18]));
  });

  it('keeps a name with a space whole', () => {
    const row = text.split('\n').find((l) => l.trim().startsWith('Domain-0 '))!;
    const d = parseXentopRow(row.replace('  Domain-0', 'web server'), header)!;
    expect(d.name).toBe('web server');
    expect(d.stateText).toBe(row.trim().split(/\s+/)[1]);
  });
});

describe('XentopStream on a long-lived `xentop -b -d 1`', () => {
  const batch = parseXentopBatch(text);

  it('gives the same frames when fed in small chunks split mid-line', () => {
    const emitted: Frame[] = [];
    const s = new XentopStream((f) => emitted.push(f));
    const returned: Frame[] = [];
    for (let i = 0; i < text.length; i += 7) returned.push(...s.push(text.slice(i, i + 7)));
    returned.push(...s.flush());
    expect(returned).toEqual(batch);
    expect(emitted).toEqual(batch);
  });

  it('emits a frame only when the next header line starts, the last one on flush', () => {
    const s = new XentopStream();
    const secondHeader = text.indexOf(headerLines[1]);
    expect(s.push(text.slice(0, secondHeader))).toEqual([]);
    // The header line itself is not complete until its newline arrives.
    expect(s.push(headerLines[1].slice(0, 20))).toEqual([]);
    const first = s.push(text.slice(secondHeader + 20));
    expect(first).toEqual([batch[0]]);
    expect(s.flush()).toEqual(batch.slice(1));
    expect(s.flush()).toEqual([]);
  });

  it('accepts Buffers and CRLF line ends (pty channels)', () => {
    const s = new XentopStream();
    const crlf = Buffer.from(text.replace(/\n/g, '\r\n'));
    const out = [...s.push(crlf.subarray(0, 100)), ...s.push(crlf.subarray(100)), ...s.flush()];
    expect(out).toEqual(batch);
  });
});

describe('xentopSamples', () => {
  it('gives the guest\'s view of traffic (xentop prints the vif\'s) and no CPU % for the first frame', () => {
    const frames = parseXentopBatch(text);
    expect(xentopSamples(frames[0]).every((d) => d.cpuPercent === null)).toBe(true);
    const later = xentopSamples(frames[1]);
    frames[1].domains.forEach((row, i) => {
      expect(later[i]).toMatchObject({
        name: row.name, cpuPercent: row.cpuPercent, memKiB: row.memKiB,
        netRxKiB: row.netTxKiB, netTxKiB: row.netRxKiB, diskReads: row.vbdRd, diskWrites: row.vbdWr,
        flags: xentopFlags(row.stateText),
      });
    });
  });
});

// Differential test: every disk spec of the corpus (man pages, Xen's examples, guides, and the
// forms known to be read differently) through libxlutil's own parser and through Domus's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { XlDiskSpecError, formatDiskSpec, parseDiskSpec, type DiskSpec } from '../../../electron/drivers/xl/xlcfg';
import { xluDisks, type XluDisk } from '../../xlu/oracle';

const CORPUS = path.resolve(__dirname, '../../fixtures/xlcfg/disk-specs.txt');
const specs = readFileSync(CORPUS, 'utf8').replace(/\n$/, '').split('\n').filter((l) => !l.startsWith('#'));

/** The fields Domus models, as libxlutil fills libxl_device_disk. */
const fromXlu = (x: XluDisk) => ({
  target: x.target,
  vdev: x.vdev,
  format: x.format,
  backendtype: x.backendtype,
  backend: x.backend,
  script: x.script,
  readOnly: x.readwrite === 0,
  cdrom: x.cdrom === 1,
  directIoSafe: x.directIoSafe,
  discard: x.discard,
  specification: x.specification,
});
const fromDomus = (d: DiskSpec) => ({
  target: d.target,
  vdev: d.vdev,
  format: d.format,
  backendtype: d.backendtype,
  backend: d.backend,
  script: d.script,
  readOnly: d.readOnly,
  cdrom: d.devtype === 'cdrom',
  directIoSafe: d.directIoSafe,
  discard: d.discard,
  specification: d.specification,
});

function domus(spec: string): DiskSpec | XlDiskSpecError {
  try {
    return parseDiskSpec(spec);
  } catch (err) {
    if (err instanceof XlDiskSpecError) return err;
    throw err;
  }
}

describe('disk specs: Domus reads them as libxlutil does', () => {
  const xl = xluDisks(specs);

  it('the corpus is big enough and has both kinds', () => {
    expect(specs.length).toBeGreaterThanOrEqual(150);
    expect(xl.filter((x) => x.ok).length).toBeGreaterThan(80);
    expect(xl.filter((x) => !x.ok).length).toBeGreaterThan(30);
  });

  it('every spec: same verdict, same fields, and xl\'s complaint for a refused one', () => {
    const disagreements: string[] = [];
    for (const x of xl) {
      const d = domus(x.spec);
      if (x.ok && d instanceof XlDiskSpecError) disagreements.push(`${x.spec}: xl accepts, Domus says ${d.detail}`);
      else if (!x.ok && !(d instanceof XlDiskSpecError)) disagreements.push(`${x.spec}: xl refuses (${x.report.trim()}), Domus accepts`);
      else if (x.ok && !(d instanceof XlDiskSpecError)) {
        if (JSON.stringify(fromDomus(d)) !== JSON.stringify(fromXlu(x))) disagreements.push(`${x.spec}: xl ${JSON.stringify(fromXlu(x))} Domus ${JSON.stringify(fromDomus(d))}`);
      } else if (d instanceof XlDiskSpecError && !x.report.includes(d.detail)) disagreements.push(`${x.spec}: xl says ${x.report.trim()}, Domus ${d.detail}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('a spec Domus writes back means to xl exactly what the original meant (nothing dropped, a CD-ROM stays one)', () => {
    const accepted = xl.filter((x) => x.ok);
    const rewritten = xluDisks(accepted.map((x) => formatDiskSpec(parseDiskSpec(x.spec))));
    const changed = rewritten.flatMap((r, i) => {
      const before = { ...accepted[i], spec: '' };
      const after = { ...r, spec: '' };
      return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${accepted[i].spec} -> ${r.spec}: ${r.report.trim() || JSON.stringify(after)}`];
    });
    expect(changed).toEqual([]);
  });
});

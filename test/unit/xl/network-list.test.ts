import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlParseError, XlVif, parseNetworkList } from '../../../electron/drivers/xl/parse';

describe('parseNetworkList on `xl network-list <dom>`', () => {
  const fx = labFixture('xl-network-list');
  const vifs = parseNetworkList(fx.stdout);
  const rows = fx.stdout.split('\n').slice(1).filter((l) => l.trim());

  it('reads one vif per row under the "Idx BE Mac Addr." header', () => {
    expect(fx.stdout).toMatch(/^Idx BE Mac Addr\./);
    expect(vifs).toHaveLength(rows.length);
    rows.forEach((row, i) => {
      const t = row.trim().split(/\s+/);
      expect(XlVif.parse(vifs[i])).toEqual(vifs[i]);
      expect(vifs[i]).toMatchObject({ idx: Number(t[0]), backendDomid: Number(t[1]), mac: t[2].toLowerCase(), backendPath: t[7] });
    });
  });

  it('refuses other output', () => {
    expect(() => parseNetworkList(labFixture('xl-list').stdout)).toThrow(XlParseError);
  });
});

// Differential test of the xl.cfg reader: whole configs through libxlutil's own reader
// (xlu_cfg_readfile, xlu_cfg_get_*) and through XlCfg: the same verdict, the same values.
import { describe, expect, it } from 'vitest';
import { XlCfg, XlCfgSyntaxError, MAX_LIST_DEPTH, xlLong, type XlCfgValue } from '../../../electron/drivers/xl/xlcfg';
import { xluConfig, type XluValue } from '../../xlu/oracle';

const KEYS = ['a', 'b', 'a_b', 'a.b', 'vif', 'pci'];

const CONFIGS: string[] = [
  'a = 0100\n',
  'a = 09\n',
  'a = 0x40\n',
  'a = 0xff\n',
  'a = 00\n',
  'a = 1e3\n',
  'a = 1x2\n',
  'a = 0x\n',
  'a = 1.5\n',
  'a = 0x1F\n',
  'a = 0X1\n',
  'a = -1\n',
  'a = 1_2\n',
  'a = 1z\n',
  'a = 10g\n',
  'A = 1\n',
  'aB = 1\n',
  '_a = 1\n',
  '1a = 1\n',
  'a-b = 1\n',
  'a.b = 1\n',
  'a_b = 1\n',
  'a = [[ "x" ], "y"]\n',
  'a = [[[ "x" ]]]\n',
  'a = "x"\na += "y"\n',
  'a = 1\na += 2\n',
  'a = 0100\na += 1\n',
  'a = 5\na += "x"\n',
  'a = [1]\na += [2]\n',
  'a = [ "x" ]\na += [ "y" ]\n',
  'a += [2]\n',
  'a += "y"\n',
  'a = "x"\na += ["y"]\n',
  'a = ["x"]\na += "y"\n',
  'a = [ "x" ]\na = "z"\na += "y"\n',
  'a = []\na += [ [1] ]\n',
  'a = [1,]\n',
  'a = [,]\n',
  'a = []\n',
  'a = [1 2]\n',
  'a = [1,,2]\n',
  'a = "x" b = 1\n',
  'a = "x"; b = 1\n',
  'a = "x";; b = 1\n',
  '; a = 1\n',
  'a = "x"',
  'a = "x" # c',
  'a = "x" # c\n',
  '# only\n',
  '#c',
  'a = "x"\n# c',
  'a = 1 ; ; a += 2\n',
  'a = "\\x41"\n',
  'a = "\\1"\n',
  'a = "\\0"\n',
  'a = "\\q"\n',
  'a = "\\n\\t\\r\\a\\b\\f\\v\\\\"\n',
  'a = "\\""\n',
  "a = '\\''\n",
  "a = 'it''s'\n",
  'a = "a\\"b"\n',
  "a = \"it's\"\n",
  'a = "é ü"\n',
  'a = 1\r\n',
  'a\t=\t1\n',
  'a =\n 1\n',
  'a\n= 1\n',
  'a = "x\ny"\n',
  'a = "x" ; \n',
  'a = [\n1,\n# c\n2\n]\n',
  'a = [ "x", # c\n "y" ]\n',
  'a=1\nb=2\n',
  'a = [ "x" ]]\n',
  'a = [ "x"\n',
  'a = ]\n',
  'vif = [ \'bridge=xenbr0\', # was \'bridge=xenbr9\'\n  \'bridge=xenbr1\' ]\n',
  "pci = [ '0000:00:05.0', # was '0000:00:06.0'\n  '0000:00:07.0,permissive=1', ]\n",
  "pci = [ '0000:00:05.0' ] # '0000:00:06.0'\n",
  'a = "$&" ; b = "$\'"\n',
  `a = ${'['.repeat(MAX_LIST_DEPTH)}${']'.repeat(MAX_LIST_DEPTH)}\n`,
  `a = ${'['.repeat(MAX_LIST_DEPTH + 1)}${']'.repeat(MAX_LIST_DEPTH + 1)}\n`,
  `a = ${'['.repeat(10000)}\n`,
];

type XluTop = XluValue | { string: string; long?: number } | { list: XluValue[] } | null;

/** Domus's value against libxlutil's, without recursion (the values nest thousands deep). */
function same(mine0: XlCfgValue | undefined, theirs0: XluTop): boolean {
  const work: [XlCfgValue | undefined, XluTop][] = [[mine0, theirs0]];
  while (work.length) {
    const [mine, theirs] = work.pop()!;
    if (theirs === null) {
      if (mine !== undefined) return false;
      continue;
    }
    if (typeof theirs === 'object' && !Array.isArray(theirs) && 'list' in theirs) {
      work.push([mine, theirs.list]);
      continue;
    }
    if (Array.isArray(theirs)) {
      if (!Array.isArray(mine) || mine.length !== theirs.length) return false;
      mine.forEach((m, i) => work.push([m, theirs[i]]));
      continue;
    }
    // A number Domus computed is the one xl's get_long reads from the text.
    if (typeof mine === 'number') {
      if ((typeof theirs === 'string' ? xlLong(theirs) : theirs.long) !== mine) return false;
    } else if (mine !== (typeof theirs === 'string' ? theirs : theirs.string)) return false;
  }
  return true;
}

describe('xl.cfg: Domus reads whole configs as libxlutil does', () => {
  it.each(CONFIGS.map((c) => [c.length > 80 ? `${c.slice(0, 40)}… (${c.length} chars)` : JSON.stringify(c), c]))('%s', (_label, text) => {
    const xl = xluConfig(text, KEYS);
    let cfg: XlCfg | null = null;
    let err: unknown = null;
    try {
      cfg = XlCfg.parse(text);
    } catch (e) {
      err = e;
    }
    if (!xl.ok) {
      expect(err, `xl refuses it: ${xl.report}`).toBeInstanceOf(XlCfgSyntaxError);
      return;
    }
    expect(err, `xl reads it`).toBeNull();
    for (const k of KEYS) {
      if (!same(cfg!.get(k), xl.values![k])) expect.fail(`${k}: xl ${JSON.stringify(xl.values![k])} Domus ${JSON.stringify(cfg!.get(k))}`);
    }
    // And an unchanged document prints back byte for byte.
    expect(cfg!.toString()).toBe(text);
  });

  it('reads 10,000 nested "[" in linear time with a parse error, not a stack overflow', () => {
    const t0 = performance.now();
    expect(() => XlCfg.parse(`a = ${'['.repeat(10000)}${']'.repeat(10000)}\n`)).toThrow(XlCfgSyntaxError);
    expect(() => XlCfg.parse(`a = ${'['.repeat(1_000_000)}\n`)).toThrow(XlCfgSyntaxError);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('reads a number no long can hold as no number, never as Infinity or rounded', () => {
    const cfg = XlCfg.parse(`memory = ${'9'.repeat(400)}\nmaxmem = 9007199254740993\nvcpus = 0x10\n`);
    expect(cfg.getNumber('memory')).toBeUndefined();
    expect(cfg.getNumber('maxmem')).toBeUndefined();
    expect(cfg.getNumber('vcpus')).toBe(16);
  });

  it('reads a config of 50,000 settings in linear time', () => {
    const big = Array.from({ length: 50_000 }, (_, i) => `k${i} = [ ${i}, "v${i}" ] # c\n`).join('');
    const t0 = performance.now();
    expect(XlCfg.parse(big).getNumber('k49999')).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

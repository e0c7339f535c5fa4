import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlCfg, XlCfgSyntaxError, parseDiskSpec } from '../../../electron/drivers/xl/xlcfg';

const KIT_DIR = path.resolve(__dirname, '../../lab/image/kit');
// Real configs: the lab's guest kit (as installed in dom0) and the examples Xen ships in /etc/xen.
const real: [string, string][] = [
  ...readdirSync(KIT_DIR).filter((f) => f.endsWith('.cfg')).map((f): [string, string] => [f, readFileSync(path.join(KIT_DIR, f), 'utf8')]),
  ['xlexample.pvlinux', labFixture('xlcfg-xlexample-pvlinux').stdout],
  ['xlexample.hvm', labFixture('xlcfg-xlexample-hvm').stdout],
];

describe('XlCfg on real configs', () => {
  it.each(real)('%s prints back byte for byte', (_name, text) => {
    expect(XlCfg.parse(text).toString()).toBe(text);
  });

  it('reads the kit PV config values', () => {
    const cfg = XlCfg.parse(readFileSync(path.join(KIT_DIR, 'pv.cfg'), 'utf8'));
    expect(cfg.getString('name')).toBe('kit-pv');
    expect(cfg.getNumber('memory')).toBe(128);
    expect(cfg.getString('kernel')).toBe('/root/kit/vmlinuz');
    expect(cfg.keys()[0]).toBe('name');
  });

  it('reads the disk list of Xen\'s HVM example', () => {
    const cfg = XlCfg.parse(labFixture('xlcfg-xlexample-hvm').stdout);
    const disks = cfg.getList('disk');
    expect(disks.length).toBeGreaterThan(0);
    const d = parseDiskSpec(String(disks[0]));
    expect(d.target).toMatch(/^\//);
    expect(d.vdev).toMatch(/^(hd|xvd|sd)/);
  });

  it('changes one value of a real config and keeps every comment and the order', () => {
    const text = readFileSync(path.join(KIT_DIR, 'pv.cfg'), 'utf8');
    const cfg = XlCfg.parse(text).set('memory', 256);
    const out = cfg.toString();
    expect(out.split('\n').filter((l) => l.startsWith('#'))).toEqual(text.split('\n').filter((l) => l.startsWith('#')));
    expect(out.replace(/^memory(\s*)= 256$/m, 'X')).toBe(text.replace(/^memory(\s*)= 128$/m, 'X'));
    expect(XlCfg.parse(out).keys()).toEqual(XlCfg.parse(text).keys());
  });
});

describe('XlCfg grammar', () => {
  const src = [
    '# top comment',
    "name = 'web' # the name",
    'memory=512;vcpus = 2',
    'disk = [',
    "    'format=raw, vdev=xvda, access=rw, target=/var/lib/xen/images/web.img', # root",
    '    # a comment inside the list',
    "    'format=qcow2, vdev=xvdb, target=/srv/data.qcow2',",
    ']',
    'vif = [ "bridge=xenbr0,mac=00:16:3e:01:02:03" ]',
    'extra = "console=hvc0 \\"quoted\\" \\\\ back"',
    'cpus = 0x3',
    'vif += [ "bridge=xenbr1" ]',
    '',
  ].join('\n');

  it('round-trips ; separators, lists over lines with comments, escapes and +=', () => {
    const cfg = XlCfg.parse(src);
    expect(cfg.toString()).toBe(src);
    expect(cfg.getString('name')).toBe('web');
    expect(cfg.getNumber('memory')).toBe(512);
    expect(cfg.getNumber('vcpus')).toBe(2);
    expect(cfg.getList('disk')).toHaveLength(2);
    expect(cfg.getString('extra')).toBe('console=hvc0 "quoted" \\ back');
    expect(cfg.getNumber('cpus')).toBe(3);
    expect(cfg.getList('vif')).toEqual(['bridge=xenbr0,mac=00:16:3e:01:02:03', 'bridge=xenbr1']);
  });

  it('rewrites a value in place with the user\'s quotes and keeps its trailing comment', () => {
    const out = XlCfg.parse(src).set('name', 'db').toString();
    expect(out).toContain("name = 'db' # the name\n");
    expect(out.indexOf('name =')).toBe(src.indexOf('name ='));
  });

  it('keeps a multi-line list multi-line when it is rewritten', () => {
    const out = XlCfg.parse(src).set('disk', ['a', 'b']).toString();
    expect(out).toContain("disk = [\n    'a',\n    'b',\n]\n");
    expect(XlCfg.parse(out).getList('disk')).toEqual(['a', 'b']);
  });

  it('replaces a key set with += as one value, and appends new keys at the end', () => {
    const cfg = XlCfg.parse(src).set('vif', ['bridge=xenbr2']).set('on_crash', 'destroy');
    expect(cfg.getList('vif')).toEqual(['bridge=xenbr2']);
    const out = cfg.toString();
    expect(out.match(/^vif/gm)).toHaveLength(1);
    expect(out.endsWith("on_crash = 'destroy'\n")).toBe(true);
  });

  it('quotes values that contain the quote character and reads them back', () => {
    const cfg = XlCfg.parse("a = 'x'\n").set('a', "it's \"both\"");
    expect(XlCfg.parse(cfg.toString()).getString('a')).toBe("it's \"both\"");
  });

  it('deletes a key with its line and leaves the comments', () => {
    const out = XlCfg.parse(src).delete('memory');
    expect(out).toBe(true);
  });

  it('adds a newline before a new key when the file had none at the end', () => {
    expect(XlCfg.parse('a = 1').set('b', 2).toString()).toBe('a = 1\nb = 2\n');
  });

  it.each([
    ['memory = ', 1],
    ['disk = [ "a",\n', 1],
    ['name = "open\n', 1],
    ['= 3', 1],
    ['a = 1\nb 2', 2],
    ['a = abc', 1],
  ])('reports a syntax error with its line: %j', (text, line) => {
    let err: unknown;
    try {
      XlCfg.parse(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XlCfgSyntaxError);
    expect((err as XlCfgSyntaxError).line).toBe(line);
  });
});

describe('parseDiskSpec', () => {
  it.each([
    ['format=raw, vdev=xvda, access=rw, target=/img/a b.img', { target: '/img/a b.img', format: 'raw', vdev: 'xvda', access: 'rw' }],
    ['/img/a.img,raw,xvda,rw', { target: '/img/a.img', format: 'raw', vdev: 'xvda', access: 'rw' }],
    // As libxlutil reads them: "phy:" names no backend type, "hdc:cdrom" is vdev hdc of a CD-ROM.
    ['phy:/dev/vg/x,xvdb,w', { target: '/dev/vg/x', backendtype: null, vdev: 'xvdb', access: 'w' }],
    ['file:/img/c.iso,hdc:cdrom,r', { target: '/img/c.iso', vdev: 'hdc', devtype: 'cdrom', access: 'r', readOnly: true }],
  ])('%s', (spec, want) => {
    expect(parseDiskSpec(spec)).toMatchObject(want);
  });
});

describe('parseXlUptime', () => {
  it('reads every domain of the recorded `xl uptime`', async () => {
    const { parseXlUptime } = await import('../../../electron/drivers/xl/parse');
    const fx = labFixture('xl-uptime');
    const rows = parseXlUptime(fx.stdout);
    expect(rows.length).toBe(fx.stdout.trim().split('\n').length - 1);
    const d0 = rows.find((r) => r.domid === 0)!;
    expect(d0.name).toBe('Domain-0');
    expect(d0.seconds).toBeGreaterThan(60);
  });
});

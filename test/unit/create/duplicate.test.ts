import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planDuplicate } from '../../../electron/drivers/xl/create/duplicate';
import { XlCfg, parseDiskSpec, parseVifSpec } from '../../../electron/drivers/xl/xlcfg';
import { CreateTemplateStore } from '../../../electron/store/createTemplates';
import { pvAnswers } from './fixtures';

const SOURCE = `# my guest
name = "web"
uuid = "6a1c0b52-9f1e-4e8e-9a53-0c1d2e3f4a5b"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 256
disk = [ 'format=qcow2, vdev=xvda, access=rw, target=/var/lib/xen/images/web.qcow2',
         'format=raw, vdev=xvdb, access=ro, target=/srv/shared.iso' ]
vif = [ 'bridge=xenbr0,mac=00:16:3e:11:22:33', 'bridge=xenbr0' ]
`;

describe('duplicating a guest', () => {
  it('new name, no uuid, new MACs, the writable disk copied, the read-only one shared, comments kept', () => {
    let n = 0;
    const plan = planDuplicate(SOURCE, 'web-copy', [{ source: '/var/lib/xen/images/web.qcow2', mode: 'copy', path: '/var/lib/xen/images/web-copy.qcow2', format: 'qcow2', sizeMiB: null }], () => [n++, 0xaa, 0xbb]);
    const cfg = XlCfg.parse(plan.configText);
    expect(plan.configText.startsWith('# my guest\n')).toBe(true);
    expect(cfg.getString('name')).toBe('web-copy');
    expect(cfg.has('uuid')).toBe(false);
    expect(cfg.getList('vif')).toEqual(['bridge=xenbr0,mac=00:16:3e:00:aa:bb', 'bridge=xenbr0,mac=00:16:3e:01:aa:bb']);
    const disks = cfg.getList('disk').map((d) => parseDiskSpec(String(d)));
    expect(disks.map((d) => [d.target, d.format, d.vdev, d.access])).toEqual([
      ['/var/lib/xen/images/web-copy.qcow2', 'qcow2', 'xvda', 'rw'],
      ['/srv/shared.iso', 'raw', 'xvdb', 'ro'],
    ]);
    expect(plan.disks).toEqual([{ kind: 'copy', source: '/var/lib/xen/images/web.qcow2', path: '/var/lib/xen/images/web-copy.qcow2', format: 'qcow2' }]);
  });

  it('a new empty disk instead of a copy; leaving a disk unsaid is refused; a shared writable disk is left to the host check', () => {
    const plan = planDuplicate(SOURCE, 'w2', [{ source: '/var/lib/xen/images/web.qcow2', mode: 'new', path: '/var/lib/xen/images/w2.img', format: 'raw', sizeMiB: 100 }]);
    expect(plan.disks).toEqual([{ kind: 'create', path: '/var/lib/xen/images/w2.img', format: 'raw', sizeMiB: 100 }]);
    // Kept as it is: refuseDiskConflicts refuses it on the host, naming the guest using it.
    const shared = planDuplicate(SOURCE, 'w3', [{ source: '/var/lib/xen/images/web.qcow2', mode: 'share', path: null, format: null, sizeMiB: null }]);
    expect(shared.disks).toEqual([]);
    expect(shared.configText).toContain('target=/var/lib/xen/images/web.qcow2');
    expect(() => planDuplicate(SOURCE, 'w4', [])).toThrow(/Say what to do with the disk/);
  });
});

describe('wizard templates on this computer', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves, lists, replaces by label and deletes, in an atomic JSON file', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'domus-tpl-'));
    const store = new CreateTemplateStore(dir);
    expect(await store.list()).toEqual([]);
    const a = await store.save('small pv', pvAnswers());
    await store.save('other', pvAnswers({ name: 'x' }));
    const b = await store.save('small pv', pvAnswers({ memoryMiB: 64 }));
    const all = await store.list();
    expect(all.map((t) => t.label)).toEqual(['other', 'small pv']);
    expect(all.find((t) => t.label === 'small pv')?.answers.memoryMiB).toBe(64);
    expect(JSON.parse(readFileSync(path.join(dir, 'create-templates.json'), 'utf8')).version).toBe(1);
    await expect(store.delete(a.id)).rejects.toThrow(/not saved/);
    await store.delete(b.id);
    expect((await store.list()).map((t) => t.label)).toEqual(['other']);
  });
});

describe('duplicating keeps what Domus does not model', () => {
  const KEEP = `name = "db"
type = "hvm"
disk = [ 'tap:aio:/srv/db.img,xvda,w,discard',
         'format=raw, vdev=xvdb, access=rw, specification=virtio, backend=storage, direct-io-safe, no-discard, script=block-dummy, target=/srv/data.img',
         ',,hdc:cdrom,r',
         '/srv/install.iso,raw,hdd:cdrom,r' ]
vif = [ 'bridge=xenbr0,mac=00:16:3e:11:22:33,rate=10Mb/s@20ms,script=vif-route,model=e1000,backend=netdom,vifname=db0' ]
`;

  it('every disk key, CD-ROMs as CD-ROMs, and every vif key but the MAC', () => {
    const plan = planDuplicate(
      KEEP,
      'db-copy',
      [
        { source: '/srv/db.img', mode: 'copy', path: '/srv/db-copy.img', format: 'raw', sizeMiB: null },
        { source: '/srv/data.img', mode: 'new', path: '/srv/data-copy.img', format: 'raw', sizeMiB: 64 },
      ],
      () => [1, 2, 3],
    );
    const cfg = XlCfg.parse(plan.configText);
    const disks = cfg.getList('disk').map((d) => parseDiskSpec(String(d)));
    expect(disks[0]).toMatchObject({ target: '/srv/db-copy.img', vdev: 'xvda', discard: true, readOnly: false, devtype: null });
    expect(disks[1]).toMatchObject({ target: '/srv/data-copy.img', specification: 'virtio', backend: 'storage', directIoSafe: true, discard: false, script: 'block-dummy' });
    expect(disks[2]).toMatchObject({ target: '', vdev: 'hdc', devtype: 'cdrom', format: 'empty', readOnly: true });
    expect(disks[3]).toMatchObject({ target: '/srv/install.iso', vdev: 'hdd', devtype: 'cdrom', readOnly: true });
    const vif = parseVifSpec(String(cfg.getList('vif')[0]));
    expect(vif).toMatchObject({ mac: '00:16:3e:01:02:03', bridge: 'xenbr0', rate: '10Mb/s@20ms', script: 'vif-route', model: 'e1000', backend: 'netdom', vifname: 'db0' });
  });

  it('refuses a config with a disk spec xl would refuse, with xl\'s words as detail', () => {
    expect(() => planDuplicate(`name = "x"\ndisk = [ '/srv/x.img,xvda,w' ]\n`, 'y', [], () => [1, 2, 3])).toThrow(/xl cannot read the disk/);
  });
});

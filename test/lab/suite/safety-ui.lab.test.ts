// Disks in use in Chromium: hd-ua runs (started in a shell) writing hd-ua.img; on stopped hd-ub's
// Config tab, adding hd-ua.img read-write is refused with hd-ua named and the file unchanged; the
// "I know this disk is shared" confirmation needs the path typed, then saves, and the task log
// has the override. Everything is named hd-u*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import { destroyGuest } from '../guests';
import { LabHost } from '../labHost';
import { addLabHost } from '../ui';

const IMG = '/var/lib/xen/images/hd-ua.img';
const CFG = '/etc/xen/hd-ub.cfg';
const kitCfg = (name: string, disk: string | null) =>
  `sed 's/^name *=.*/name = "${name}"/' /root/kit/pv.cfg${disk ? `; echo 'disk = [ "${disk}" ]'` : ''}`;

describe('lab: safety UI', () => {
  let lab: LabHost;
  let app: BrowserApp;
  const cleanup = async () => {
    await destroyGuest(lab, 'hd-ua');
    await destroyGuest(lab, 'hd-ub');
    await lab.run(['sh', '-c', `rm -f ${CFG} ${CFG}.bak /etc/xen/.hd-ub.* ${IMG} /tmp/hd-ua.cfg`]);
  };
  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup();
    const r = await lab.script(`set -e; mkdir -p /var/lib/xen/images; qemu-img create -q -f raw ${IMG} 8M
      { ${kitCfg('hd-ub', null)}; } > ${CFG}
      { ${kitCfg('hd-ua', `format=raw, vdev=xvda, access=rw, target=${IMG}`)}; } > /tmp/hd-ua.cfg
      ok=; for i in 1 2 3; do if xl create /tmp/hd-ua.cfg; then ok=1; break; fi; sleep 10; done; [ -n "$ok" ]`, 300_000);
    expect(r.code, r.stderr).toBe(0);
    app = await startBrowserApp();
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    if (lab) await cleanup();
    lab?.close();
  }, 300_000);

  it('lab: safety UI — the editor refuses a disk another guest writes, naming it; the typed confirmation saves', async () => {
    const { page, backend } = app;
    try {
      await addLabHost(page, lab);
      await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: 'Open hd-ub' }).click();
      const region = page.getByRole('region', { name: 'Guest hd-ub' });
      await region.getByRole('tab', { name: 'Config' }).click();
      const editor = region.getByRole('textbox', { name: `Contents of ${CFG}` });
      await editor.waitFor();
      const before = await lab.ok(['cat', CFG]);
      await editor.fill(`${before}disk = [ "format=raw, vdev=xvda, access=rw, target=${IMG}" ]\n`);
      await region.getByRole('button', { name: 'Review changes…' }).click();
      await page.getByRole('dialog', { name: /Changes to/ }).getByRole('button', { name: 'Check and save' }).click();
      await region.getByText(`${IMG} is in use by hd-ua (read-write, running); two guests writing one disk corrupt it. The file was not changed.`, { exact: false }).waitFor({ timeout: 120_000 });
      expect(await lab.ok(['cat', CFG])).toBe(before);

      // The override: ticked, then the path typed (a wrong one keeps the button disabled).
      await region.getByText('I know this disk is shared (cluster filesystem)').click();
      const typed = region.getByRole('textbox', { name: `Type ${IMG} to confirm it is shared` });
      const go = region.getByRole('button', { name: 'Share the disk and retry' });
      await typed.fill('/var/lib/xen/images/other.img');
      expect(await go.isDisabled()).toBe(true);
      await typed.fill(IMG);
      await go.click();
      await region.getByText(/Saved\. The previous version is kept/).waitFor({ timeout: 120_000 });
      expect(await lab.ok(['cat', CFG])).toContain(`target=${IMG}`);
      const task = (await backend['tasks.list']({})).filter((t) => t.action === 'guest.editConfig' && t.target === 'hd-ub').at(-1);
      expect(task?.notes).toContainEqual(expect.stringMatching(/^Override \(typed confirmation\): .*hd-ua\.img is shared read-write with hd-ua/));
    } catch (err) {
      await page.screenshot({ path: '/tmp/safety-ui-failure.png', fullPage: true }).catch(() => {});
      throw err;
    }
  }, 900_000);
});

// Guest lifecycle end to end: the real backend against the lab, watched in Chromium. A persistent
// kit guest (config in /etc/xen) is started, paused, resumed, saved and restored (a file written
// inside survives), shut down, forced off after an ignored shutdown, its config edited (a bad edit
// is refused and the file stays as it was), autostarted, and deleted with exactly what was ticked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import { GuestConsole } from '../console';
import { destroyGuest } from '../guests';
import { LabHost } from '../labHost';
import { addLabHost } from '../ui';
import { commandLine } from '../../../electron/transport/argv';
import { monitorArgv } from '../../../electron/drivers/xl/monitor';
import { MonitorStream } from '../../../electron/drivers/xl/parse';

const NAME = 'lc-x';
const CFG = `/etc/xen/${NAME}.cfg`;
const IMG_A = `/var/lib/xen/images/${NAME}-a.img`;
const IMG_B = `/var/lib/xen/images/${NAME}-b.img`;
const SAVE = `/var/lib/xen/save/${NAME}.save`;


describe('lab: lifecycle', () => {
  let lab: LabHost;
  let app: BrowserApp;
  const cleanup = async () => {
    await destroyGuest(lab, NAME);
    await lab.run(['rm', '-f', CFG, `${CFG}.bak`, IMG_A, IMG_B, SAVE, `/etc/xen/auto/${NAME}.cfg`]);
  };
  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup();
    // Two small disk images the config names (PV kit guest: they are attached but not needed).
    await lab.script(
      `set -e; mkdir -p /var/lib/xen/save /var/lib/xen/images
       truncate -s 4M ${IMG_A} ${IMG_B}
       sed 's/^name *=.*/name = "${NAME}"/' /root/kit/pv.cfg > ${CFG}
       printf '# disks for the lifecycle test\\ndisk = [\\n    "format=raw, vdev=xvda, access=rw, target=${IMG_A}",\\n    "format=raw, vdev=xvdb, access=rw, target=${IMG_B}",\\n]\\n' >> ${CFG}`,
    );
    app = await startBrowserApp();
  });
  afterAll(async () => {
    await app?.close();
    if (lab) await cleanup();
    lab?.close();
  });

  it('lab: lifecycle — every action on a kit guest from the UI and the backend, with the task log', async () => {
    try {
      await everyAction();
    } catch (err) {
      await app.page.screenshot({ path: '/tmp/lifecycle-failure.png' }).catch(() => {});
      // What the host said: the failed tasks with their commands and xl's own words.
      const failed = (await app.backend['tasks.list']({}).catch(() => [])).filter((t) => t.state === 'failed' && t.target === NAME);
      for (const t of failed) console.error(`failed task ${t.action}: ${JSON.stringify(t.steps.map((s) => ({ command: s.command, exitCode: s.exitCode, stderr: s.stderr })))}`);
      throw err;
    }
  });

  it('lab: lifecycle — host graphs: busy % of each physical CPU, kept by the backend and drawn per CPU', async () => {
    const { page, backend } = app;
    if ((await backend['hosts.list']({})).length === 0) await addLabHost(page, lab);
    const hostId = (await backend['hosts.list']({}))[0].id;
    const nrCpus = Number(/nr_cpus\s*:\s*(\d+)/.exec(await lab.ok(['xl', 'info']))![1]);
    // The backend keeps the history before anyone looks: several seconds of one column per pCPU.
    await expect
      .poll(async () => (await backend['metrics.host']({ hostId })).pcpuT.length, { timeout: 120_000, interval: 2000 })
      .toBeGreaterThanOrEqual(5);
    const s = await backend['metrics.host']({ hostId });
    expect(s.pcpuPercent).toHaveLength(nrCpus);
    for (const col of s.pcpuPercent) {
      expect(col).toHaveLength(s.pcpuT.length);
      for (const v of col) expect(v === null || (v >= 0 && v <= 100)).toBe(true);
    }
    // The source is the figure xenpm reports as each CPU's idle time: read both in one go.
    const both = await lab.ok(['sh', '-c', `${commandLine(monitorArgv(1))}; xenpm get-cpuidle-states`]);
    const [ours] = new MonitorStream().push(both);
    const xenpm = [...both.matchAll(/idle time\(ms\)\s*:\s*(\d+)/g)].map((m) => Number(m[1]));
    expect(ours?.kind).toBe('block');
    if (ours?.kind !== 'block') return;
    expect(xenpm).toHaveLength(nrCpus);
    expect(ours.block.idleNs).toHaveLength(nrCpus);
    // xenpm runs just after (slowly, under emulation): its counters are at most a few seconds on.
    ours.block.idleNs!.forEach((ns, i) => {
      expect(xenpm[i]).toBeGreaterThanOrEqual(Math.floor(ns / 1e6));
      expect(xenpm[i] - ns / 1e6).toBeLessThan(30_000);
    });

    // The host's Graphs tab draws one series per pCPU.
    await page.getByRole('navigation', { name: 'Hosts' }).getByRole('button', { name: /Lab/ }).first().click();
    await page.getByRole('tab', { name: 'Graphs' }).first().click();
    const chart = page.getByRole('img', { name: 'Physical CPUs (busy %)' });
    await chart.waitFor({ timeout: 30_000 });
    for (let i = 0; i < nrCpus; i++) await chart.getByText(`CPU ${i}`, { exact: true }).waitFor({ timeout: 30_000 });
  });

  async function everyAction(): Promise<void> {
    const { page, backend } = app;
    await addLabHost(page, lab);
    const hostId = (await backend['hosts.list']({}))[0].id;
    const guestOf = async () => (await backend['guests.list']({ hostId })).find((g) => g.name === NAME);
    const table = page.getByRole('table', { name: 'Guests' });

    // The stopped guest is listed from its config; open its page.
    await table.getByRole('button', { name: `Open ${NAME}` }).click();
    const pageRegion = page.getByRole('region', { name: `Guest ${NAME}` });
    await pageRegion.waitFor();
    const stateIs = (s: string) => pageRegion.locator('.domus-guest-header').getByText(s, { exact: true }).waitFor({ timeout: 120_000 });
    await stateIs('shut off');

    // Config: a bad edit is refused by xl create -n and the file is unchanged.
    const before = await lab.ok(['cat', CFG]);
    await pageRegion.getByRole('tab', { name: 'Config' }).click();
    const editor = pageRegion.getByRole('textbox', { name: `Contents of ${CFG}` });
    await editor.waitFor();
    expect(await editor.inputValue()).toBe(before);
    await editor.fill(before.replace(/^memory\s*=.*$/m, 'memory = lots'));
    await pageRegion.getByRole('button', { name: 'Review changes…' }).click();
    const diff = page.getByRole('dialog', { name: /Changes to/ });
    expect(await diff.getByLabel('Changed lines').textContent()).toContain('+ memory = lots');
    await diff.getByRole('button', { name: 'Check and save' }).click();
    await pageRegion.getByText(/not a valid xl config|xl rejected the new config/).waitFor({ timeout: 60_000 });
    expect(await lab.ok(['cat', CFG])).toBe(before);
    // A config that parses but that xl refuses: `xl create -n` on the host says so.
    await editor.fill(before.replace(/^type\s*=.*$/m, 'type = "nonsense"'));
    await pageRegion.getByRole('button', { name: 'Review changes…' }).click();
    await page.getByRole('dialog', { name: /Changes to/ }).getByRole('button', { name: 'Check and save' }).click();
    await pageRegion.getByText(/xl rejected the new config/).waitFor({ timeout: 60_000 });
    expect(await lab.ok(['cat', CFG])).toBe(before);
    // A good edit keeps the comments and leaves a .bak with the previous text.
    await editor.fill(before.replace(/^memory\s*=.*$/m, 'memory  = 144'));
    await pageRegion.getByRole('button', { name: 'Review changes…' }).click();
    await page.getByRole('dialog', { name: /Changes to/ }).getByRole('button', { name: 'Check and save' }).click();
    await pageRegion.getByText(/Saved\. The previous version is kept/).waitFor({ timeout: 60_000 });
    const after = await lab.ok(['cat', CFG]);
    expect(after).toContain('memory  = 144');
    expect(after).toContain('# disks for the lifecycle test');
    expect(await lab.ok(['cat', `${CFG}.bak`])).toBe(before);

    // Start (UI) → running, seen through events.
    await pageRegion.getByRole('tab', { name: 'Overview' }).click();
    await pageRegion.getByRole('button', { name: `Start ${NAME}` }).click();
    await stateIs('running').catch(() => stateIs('idle'));
    await pageRegion.getByRole('button', { name: `Pause ${NAME}` }).waitFor({ timeout: 60_000 });

    // Pause / resume (UI).
    await pageRegion.getByRole('button', { name: `Pause ${NAME}` }).click();
    await stateIs('paused');
    await pageRegion.getByRole('button', { name: `Resume ${NAME}` }).click();
    await pageRegion.getByRole('button', { name: `Pause ${NAME}` }).waitFor({ timeout: 60_000 });

    // Save / restore: a file written inside the guest survives the round trip.
    let con = await GuestConsole.open(lab, NAME);
    await con.run('echo lc-survives > /tmp/lc-mark');
    con.close();
    await pageRegion.getByRole('button', { name: `Save to file: ${NAME}` }).click();
    const saveDialog = page.getByRole('dialog', { name: `Save ${NAME} to a file` });
    await saveDialog.getByLabel('File on the host').fill(SAVE);
    await saveDialog.getByRole('button', { name: 'Save' }).click();
    await stateIs('shut off');
    expect(Number(await lab.ok(['stat', '-c', '%s', SAVE]))).toBeGreaterThan(1_000_000);
    // Saving again to the same file is refused: Domus never overwrites.
    await backend['guests.restore']({ hostId, path: SAVE });
    await pageRegion.getByRole('button', { name: `Pause ${NAME}` }).waitFor({ timeout: 120_000 });
    con = await GuestConsole.open(lab, NAME);
    expect(await con.run('cat /tmp/lc-mark')).toContain('lc-survives');
    con.close();
    const g1 = (await guestOf())!;
    await expect(backend['guests.save']({ hostId, guestId: g1.id, path: SAVE })).rejects.toMatchObject({ code: 'conflict' });
    // A save into a missing directory fails with xl's own words, and the guest keeps running.
    await expect(backend['guests.save']({ hostId, guestId: g1.id, path: '/nonexistent/dir/x.save' })).rejects.toMatchObject({
      code: 'command_failed',
      detail: expect.stringContaining('/nonexistent/dir/x.save'),
    });
    expect((await guestOf())!.domid).not.toBeNull();

    // A paused guest cannot answer a shutdown request: refused at once, naming resume and force off.
    await lab.ok(['xl', 'pause', NAME]);
    await expect(backend['guests.shutdown']({ hostId, guestId: g1.id, timeoutSeconds: 5 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/is paused.*Resume it first, or force it off/) });
    await lab.ok(['xl', 'unpause', NAME]).catch(() => '');
    // Clean shutdown from the UI: the kit's PV kernel handles the request.
    await pageRegion.getByRole('button', { name: `Shut down ${NAME}` }).click();
    await page.getByRole('dialog', { name: `Shut down ${NAME}?` }).getByRole('button', { name: 'Shut down' }).click();
    await stateIs('shut off');

    // Force off from the UI after a start.
    await pageRegion.getByRole('button', { name: `Start ${NAME}` }).click();
    // The button shows as soon as the domain exists and is enabled when the start task ends: xl
    // create takes 13-30 s in the emulated lab, depending on the machine's load.
    await pageRegion.getByRole('button', { name: `Force off ${NAME}` }).click({ timeout: 120_000 });
    await page.getByRole('dialog', { name: `Force off ${NAME}?` }).getByRole('button', { name: 'Force off' }).click();
    await stateIs('shut off');

    // Autostart: the /etc/xen/auto link.
    // PatternFly draws the switch over a visually hidden checkbox, and the switch shows the
    // host's state once the link exists: click, then see the link and the switch on.
    const autostart = pageRegion.getByRole('switch', { name: `Start ${NAME} when the host boots` });
    await autostart.click({ force: true });
    await expect.poll(async () => (await lab.run(['readlink', `/etc/xen/auto/${NAME}.cfg`])).stdout.trim(), { timeout: 30_000 }).toBe(CFG);
    await expect.poll(() => autostart.isChecked(), { timeout: 30_000 }).toBe(true);

    // Delete: lists config, link and both images (unticked); tick one; exactly that goes.
    await pageRegion.getByRole('button', { name: `Delete ${NAME}` }).click();
    const del = page.getByRole('dialog', { name: `Delete ${NAME}?` });
    const list = del.getByRole('list', { name: 'What will be removed' });
    await list.getByText(IMG_A, { exact: false }).waitFor();
    expect(await list.textContent()).toContain(CFG);
    expect(await list.textContent()).toContain(`/etc/xen/auto/${NAME}.cfg`);
    expect(await del.getByRole('checkbox', { name: new RegExp(IMG_A) }).isChecked()).toBe(false);
    expect(await del.getByRole('checkbox', { name: new RegExp(IMG_B) }).isChecked()).toBe(false);
    await del.getByRole('checkbox', { name: new RegExp(IMG_B) }).check();
    await del.getByRole('button', { name: 'Delete 3 items' }).click();
    await page.getByText('This guest is no longer on the host.').waitFor({ timeout: 60_000 });
    expect((await lab.run(['test', '-e', CFG])).code).not.toBe(0);
    expect((await lab.run(['test', '-L', `/etc/xen/auto/${NAME}.cfg`])).code).not.toBe(0);
    expect((await lab.run(['test', '-e', IMG_B])).code).not.toBe(0);
    expect((await lab.run(['test', '-e', IMG_A])).code).toBe(0);

    // The task log has each step with its outcome, live in the panel too.
    const tasks = (await backend['tasks.list']({})).filter((t) => t.target === NAME || t.target === SAVE);
    const outcome = (action: string) => tasks.filter((t) => t.action === action).map((t) => t.state);
    expect(outcome('guest.editConfig')).toEqual(['failed', 'failed', 'succeeded']);
    expect(outcome('guest.start')).toEqual(['succeeded', 'succeeded']);
    expect(outcome('guest.pause')).toEqual(['succeeded']);
    expect(outcome('guest.resume')).toEqual(['succeeded']);
    expect(outcome('guest.save')).toEqual(['succeeded', 'failed', 'failed']);
    expect(outcome('guest.restore')).toEqual(['succeeded']);
    expect(outcome('guest.shutdown')).toEqual(['failed', 'succeeded']);
    expect(outcome('guest.destroy')).toEqual(['succeeded']);
    expect(outcome('guest.delete')).toEqual(['succeeded']);
    const xlRefused = tasks.filter((t) => t.action === 'guest.editConfig' && t.state === 'failed')[1];
    expect(xlRefused.steps.some((s) => s.command.startsWith('xl create -n') && s.stderr?.includes('Invalid domain type nonsense'))).toBe(true);
    await page.getByRole('button', { name: /^Tasks \(/ }).click();
    const panel = page.getByRole('grid', { name: 'Task log' }).or(page.getByRole('table', { name: 'Task log' }));
    await panel.getByRole('row', { name: new RegExp(`Delete ${NAME}: succeeded`) }).waitFor();
  }
});

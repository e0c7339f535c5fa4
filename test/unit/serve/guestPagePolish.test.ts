// In real Chromium (browser mode, the synthetic backend with a few methods of this file's own):
// - a stopped guest with a save image says it has a saved state, lists the image with its date and
//   size, and Restore restores exactly that file; "Restore from file" lists the images to pick;
// - an image the guest was started afresh after (the task log says so) is out of date: said, and
//   no Restore button;
// - shutting down a paused guest shows the refusal at once and offers Resume and Force off, which
//   do what they say;
// - giving a device back to dom0 warns when a guest's config still lists it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomusError } from '../../../electron/api/errors';
import type { Guest } from '../../../electron/api/guests';
import { pausedRefusalDetail, type SaveImage } from '../../../electron/api/lifecycle';
import type { Backend } from '../../../electron/api/methods';
import type { Task } from '../../../electron/api/tasks';
import { buildPciInventory } from '../../../electron/drivers/xl/pci';
import { parsePciProbe } from '../../../electron/drivers/xl/pciSafety';
import { parseXlInfo } from '../../../electron/drivers/xl/parse';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { openRendererWith } from '../../e2e/browserApp';
import { labFixture } from '../../fixtures/lab';

const SAVED_AT = Date.UTC(2026, 10, 28, 14, 5);
/** g-0019 was started afresh (through Domus) an hour after its image was written. */
const STARTED_SINCE: Task = {
  id: 't-start-19', hostId: 'benchhost', hostName: 'Bench', action: 'guest.start', target: 'g-0019', state: 'succeeded',
  startedAt: SAVED_AT - 86_400_000 + 3_600_000, endedAt: SAVED_AT - 86_400_000 + 3_601_000, progress: 1, cancellable: false, steps: [],
};
const IMAGES: SaveImage[] = [
  { path: '/var/lib/xen/save/g-0009.save', guest: 'g-0009', sizeBytes: 134_755_745, savedAt: SAVED_AT },
  { path: '/var/lib/xen/save/other.save', guest: 'g-0019', sizeBytes: 268_435_456, savedAt: SAVED_AT - 86_400_000 },
];

describe('guest page: saved states, paused shutdown, PCI give-back (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;
  const calls: { method: string; input: Record<string, unknown> }[] = [];
  // g-0009 is shut off (bench's guest(): every tenth), g-0001 paused.
  const guests = (): Guest[] => [guest(1, 1), guest(9, 0), guest(19, 0)].map((g) => (g.name === 'g-0001' ? { ...g, state: 'paused' } : g));
  const pci = () => {
    const p = parsePciProbe(labFixture('pci-probe-assigned').stdout);
    p.guests = []; // nothing running with the device: only the config lists it
    return buildPciInventory(p, parseXlInfo(labFixture('xl-info').stdout).virtCaps);
  };
  const own: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    'guests.saveImages': async () => IMAGES,
    'guests.restore': async () => null,
    'tasks.list': async () => [STARTED_SINCE],
    'guests.details': async () => ({ configPath: '/etc/xen/g.cfg', autostart: false, uptimeSeconds: null, disks: [], nics: [], type: 'pv', kernel: null }),
    'guests.shutdown': async (input) => {
      if (input.guestId === guest(1, 0).id) {
        throw new DomusError('conflict', 'g-0001 is paused, so it cannot answer a shutdown request. Resume it first, or force it off.', pausedRefusalDetail('g-0001   2   512   2   --p---   1.0'));
      }
      return null;
    },
    'guests.resume': async () => null,
    'guests.destroy': async () => null,
    'metrics.guest': async () => ({ t: [], cpuPercent: [], memoryMiB: [], netRxKiBs: [], netTxKiBs: [], diskReadsPs: [], diskWritesPs: [] }),
    'pci.list': async () => pci(),
  };

  beforeAll(async () => {
    const base = syntheticBackend(guests);
    const backend = new Proxy(base, {
      get: (t, k: string) => {
        const mine = own[k];
        if (!mine) return t[k as keyof Backend];
        return async (input: Record<string, unknown>) => {
          calls.push({ method: k, input });
          return mine(input);
        };
      },
    });
    app = await openRendererWith(backend);
    page = app.page;
    await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: /g-0009/ }).waitFor({ timeout: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const openGuest = async (name: string) => {
    await page.getByRole('button', { name: `Open ${name}` }).click();
    return page.getByRole('region', { name: `Guest ${name}` });
  };
  const back = () => page.getByRole('button', { name: /^Back to / }).click();

  it('a saved guest says so, lists its image with date and size, and Restore restores that file', { timeout: 90_000 }, async () => {
    const region = await openGuest('g-0009');
    const list = region.getByRole('list', { name: 'Saved states of g-0009' });
    await list.waitFor({ timeout: 30_000 });
    await expect.poll(() => region.getByText('g-0009 has a saved state').count()).toBe(1);
    const item = list.getByRole('listitem');
    expect(await item.count()).toBe(1); // the other guest's image is not listed here
    const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(SAVED_AT);
    const text = await item.innerText();
    expect(text).toContain(date);
    expect(text).toContain('128.5 MiB');
    expect(text).toContain('/var/lib/xen/save/g-0009.save');
    // Start stays offered beside it.
    await region.getByRole('button', { name: 'Start g-0009' }).waitFor();
    await item.getByRole('button', { name: `Restore g-0009 from ${date}` }).click();
    await expect.poll(() => calls.filter((c) => c.method === 'guests.restore').map((c) => c.input.path)).toEqual(['/var/lib/xen/save/g-0009.save']);
    await back();
  });

  it('an image the guest was started afresh after is out of date, with no Restore', { timeout: 90_000 }, async () => {
    const region = await openGuest('g-0019');
    const item = region.getByRole('list', { name: 'Saved states of g-0019' }).getByRole('listitem');
    await item.waitFor({ timeout: 30_000 });
    const since = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(STARTED_SINCE.endedAt);
    expect(await item.innerText()).toContain(`Out of date: g-0019 was started afresh on ${since}`);
    expect(await item.getByRole('button').count()).toBe(0);
    await back();
  });

  it('"Restore from file" lists the save images to pick, and restores the picked one', { timeout: 90_000 }, async () => {
    calls.length = 0;
    await page.getByRole('button', { name: 'Restore from file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore a guest from a file' });
    const picker = dialog.getByRole('radiogroup', { name: 'Save images on the host' });
    await picker.waitFor({ timeout: 30_000 });
    expect(await picker.getByRole('radio').count()).toBe(2);
    const other = picker.getByRole('radio', { name: /^g-0019 · / });
    expect(await picker.innerText()).toContain('256 MiB');
    // g-0019 was started afresh since its image was written: still pickable, but said.
    expect(await picker.innerText()).toMatch(/g-0019 · [^\n]*256 MiB · out of date: its guest has run since/);
    expect(await picker.innerText()).not.toMatch(/g-0009 · [^\n]*out of date/);
    await other.check();
    expect(await dialog.getByLabel('Save file on the host').inputValue()).toBe('/var/lib/xen/save/other.save');
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => calls.filter((c) => c.method === 'guests.restore').map((c) => c.input.path)).toEqual(['/var/lib/xen/save/other.save']);
  });

  it('shutting down a paused guest is refused at once, offering Resume and Force off', { timeout: 90_000 }, async () => {
    calls.length = 0;
    const region = await openGuest('g-0001');
    await region.getByRole('button', { name: 'Shut down g-0001' }).click();
    await page.getByRole('dialog', { name: 'Shut down g-0001?' }).getByRole('button', { name: 'Shut down' }).click();
    const started = Date.now();
    const refusal = page.getByRole('dialog', { name: 'g-0001 is paused' });
    await refusal.waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await refusal.innerText()).toMatch(/Resume it first, or force it off/);
    await refusal.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => calls.map((c) => c.method).filter((m) => m !== 'guests.details' && m !== 'metrics.guest')).toEqual(['guests.shutdown', 'guests.resume']);
    // Again, this time forcing it off.
    await region.getByRole('button', { name: 'Shut down g-0001' }).click();
    await page.getByRole('dialog', { name: 'Shut down g-0001?' }).getByRole('button', { name: 'Shut down' }).click();
    await refusal.getByRole('button', { name: 'Force off' }).click();
    await expect.poll(() => calls.map((c) => c.method).filter((m) => m === 'guests.destroy')).toEqual(['guests.destroy']);
    await back();
  });

  it('giving a device back to dom0 warns when a guest config still lists it', { timeout: 90_000 }, async () => {
    await page.getByRole('tab', { name: 'PCI devices' }).click();
    await page.getByRole('button', { name: 'Manage 0000:00:05.0' }).click();
    const dialog = page.getByRole('dialog', { name: 'PCI device 0000:00:05.0' });
    await dialog.getByRole('button', { name: 'Give back to dom0' }).waitFor({ timeout: 30_000 });
    await dialog.getByText(/pci-reccfg still list 0000:00:05\.0 in their config\. Once it is back with dom0 they will not start/).waitFor({ timeout: 10_000 });
  });
});

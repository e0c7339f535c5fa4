// In real Chromium (browser mode, a synthetic backend): the page tells the backend which host's
// live figures it shows — the host while its guest table is on screen, none on the Consoles tab,
// which shows no figures — so the backend samples a host once a second only while someone looks.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/api/methods';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { openRendererWith } from '../../e2e/browserApp';

describe('live figures are asked for while shown (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;
  const told: { viewer: string; hostIds: string[] }[] = [];
  const lastTold = () => told.at(-1)?.hostIds.join(',');

  beforeAll(async () => {
    const base = syntheticBackend(() => [guest(0, 1), guest(1, 2)]);
    const backend = new Proxy(base, {
      get: (t, k: string) =>
        k === 'hosts.watchLive'
          ? async (p: { viewer: string; hostIds: string[] }) => {
              told.push(p);
              return { leaseMs: 45_000 };
            }
          : t[k as keyof Backend],
    });
    app = await openRendererWith(backend);
    page = app.page;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const until = async (what: string, test: () => boolean) => {
    const end = Date.now() + 10_000;
    while (!test()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; told ${JSON.stringify(told.map((x) => x.hostIds))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('asks for the host while the guest table shows, and for none on the Consoles tab', { timeout: 60_000 }, async () => {
    await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: /g-0000/ }).waitFor({ timeout: 60_000 });
    await until('the host to be asked for', () => lastTold() === 'benchhost');
    await page.getByRole('tab', { name: 'Consoles' }).click();
    await until('nothing to be asked for', () => lastTold() === '');
    await page.getByRole('tab', { name: 'Guests' }).click();
    await until('the host again', () => lastTold() === 'benchhost');
    // One window, one viewer id, so the backend can tell windows apart.
    expect(new Set(told.map((t) => t.viewer)).size).toBe(1);
  });
});

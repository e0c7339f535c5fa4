// PARKED, not in the lab suite: on its first run the 20 MB flood arrived short (17.5 of ~20.3 MB
// base64 bytes, 0.1 MB/s) and the VNC button was not found. Issue 6 stays open until this passes;
// to run it, move it back into test/lab/suite/.
// Consoles end to end: the lab host in Domus (browser mode, Chromium), a kit guest's text console
// in xterm.js (prompt, a command, a 20 MB flood checked by SHA-256, a reboot), and the HVM kit
// guest's graphical console through noVNC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import { createKitGuest, destroyGuest } from '../guests';
import { GuestConsole } from '../console';
import { LabHost } from '../labHost';
import { addLabHost } from '../ui';

const PV = 'con-a';
const HVM = 'con-hvm';

/** Installs the page-side tap: every byte xterm parsed, per guest, plus a short tail to poll. */
async function installTap(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __domusConsoleTap: (g: string, b: Uint8Array) => void; __tap: Record<string, { chunks: Uint8Array[]; tail: string; bytes: number }> };
    w.__tap = {};
    const dec = new TextDecoder();
    w.__domusConsoleTap = (g, b) => {
      const e = (w.__tap[g] ??= { chunks: [], tail: '', bytes: 0 });
      e.chunks.push(b.slice());
      e.bytes += b.length;
      e.tail = (e.tail + dec.decode(b.slice(-4096))).slice(-4096);
    };
  });
}

const tail = (page: Page, guest: string) =>
  page.evaluate((g) => (window as unknown as { __tap: Record<string, { tail: string }> }).__tap[g]?.tail ?? '', guest);

async function waitForTail(page: Page, guest: string, re: RegExp, timeoutMs: number, nudge?: () => Promise<void>) {
  const end = Date.now() + timeoutMs;
  let n = 0;
  for (;;) {
    const t = await tail(page, guest);
    if (re.test(t)) return t;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${re} on ${guest}; tail: ${JSON.stringify(t.slice(-300))}`);
    if (nudge && ++n % 25 === 0) await nudge();
    await new Promise((r) => setTimeout(r, 200));
  }
}


describe('lab: console', () => {
  let lab: LabHost;
  let app: BrowserApp;
  beforeAll(async () => {
    lab = await LabHost.connect();
    await destroyGuest(lab, PV);
    await destroyGuest(lab, HVM);
    app = await startBrowserApp();
    await addLabHost(app.page, lab);
    await installTap(app.page);
  }, 400_000);
  afterAll(async () => {
    await app?.close();
    if (lab) {
      await destroyGuest(lab, PV);
      await destroyGuest(lab, HVM);
      lab.close();
    }
  });

  it('lab: console — text console: prompt, a command, a 20 MB flood complete and in order within the watermark, reboot and reattach', async () => {
    const { page } = app;
    await createKitGuest(lab, 'pv.cfg', [`name="${PV}"`]);
    await page.getByRole('tab', { name: 'Consoles' }).click();
    await page.getByRole('button', { name: `Open the text console of ${PV}` }).click({ timeout: 60_000 });
    const term = page.getByRole('application', { name: `Text console of ${PV}` });
    await term.waitFor({ state: 'visible' });
    await page.locator(`[data-console-guest="${PV}"][data-console-phase="open"]`).waitFor({ timeout: 60_000 });
    await term.click();
    // The busybox prompt (it may already have been printed before we attached: Enter brings it).
    await waitForTail(page, PV, /[/~] # /, 120_000, () => page.keyboard.press('Enter'));

    await page.keyboard.type('echo $((6*7))-ok\n');
    await waitForTail(page, PV, /42-ok/, 30_000);

    // The flood: the checksum the guest computes against the one over the bytes xterm parsed.
    await page.keyboard.type(
      'head -c 15000000 /dev/urandom > /tmp/f && base64 /tmp/f > /tmp/b && rm /tmp/f && sha256sum /tmp/b && echo FL""OOD-START && cat /tmp/b && echo FL""OOD-END\n',
    );
    const t0 = Date.now();
    await waitForTail(page, PV, /FLOOD-END\r?\n/, 600_000);
    const seconds = (Date.now() - t0) / 1000;
    const result = await page.evaluate(async (g) => {
      const e = (window as unknown as { __tap: Record<string, { chunks: Uint8Array[] }> }).__tap[g]!;
      const all = new Uint8Array(e.chunks.reduce((n, c) => n + c.length, 0));
      let o = 0;
      for (const c of e.chunks) {
        all.set(c, o);
        o += c.length;
      }
      const text = new TextDecoder().decode(all);
      const start = text.lastIndexOf('FLOOD-START\r\n');
      const end = text.lastIndexOf('FLOOD-END');
      const body = text.slice(start + 'FLOOD-START\r\n'.length, end).replace(/\r/g, '');
      const sums = [...text.matchAll(/([0-9a-f]{64})\s+\/tmp\/b/g)].map((m) => m[1]);
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { guestSum: sums[sums.length - 1], pageSum: hex, bodyBytes: body.length };
    }, PV);
    console.log(`flood: ${result.bodyBytes} bytes of base64 in ${seconds.toFixed(1)} s (${(result.bodyBytes / 1e6 / seconds).toFixed(2)} MB/s)`);
    expect(result.bodyBytes).toBeGreaterThan(20_000_000);
    expect(result.pageSum).toBe(result.guestSum);
    const stats = app.backend.streams.allStats();
    expect(stats.length).toBe(1);
    expect(stats[0]!.maxUnacked).toBeLessThanOrEqual(stats[0]!.high);
    // Queued in the backend: bounded by the watermark plus what SSH's window let in after pause.
    expect(stats[0]!.maxQueued).toBeLessThanOrEqual(stats[0]!.high + 4 * 1024 * 1024);
    // The UI stayed responsive: a click on another tab answers.
    const ts = Date.now();
    await page.getByRole('tab', { name: 'Guests' }).click();
    await page.getByRole('table', { name: 'Guests' }).waitFor();
    expect(Date.now() - ts).toBeLessThan(5000);
    await page.getByRole('tab', { name: 'Consoles' }).click();
    await page.locator(`[data-console-guest="${PV}"][data-console-phase="open"]`).waitFor({ timeout: 60_000 });

    // Reboot: a new domain; the console says so and comes back by itself.
    const domidBefore = (await lab.ok(['xl', 'domid', PV])).trim();
    await term.click();
    await page.keyboard.type('echo b > /proc/sysrq-trigger\n');
    await page.locator(`[data-console-guest="${PV}"][data-console-phase="waiting"]`).waitFor({ timeout: 60_000 });
    await page.locator(`[data-console-guest="${PV}"][data-console-phase="open"]`).waitFor({ timeout: 180_000 });
    expect((await lab.ok(['xl', 'domid', PV])).trim()).not.toBe(domidBefore);
    await term.click();
    await waitForTail(page, PV, /back-\d+-again/, 120_000, () => page.keyboard.type('echo back-$((40+2))-again\n'));
  }, 1_200_000);

  it('lab: console — graphical console of the HVM guest shows the screen and sends keys', async () => {
    const { page } = app;
    await createKitGuest(lab, 'hvm.cfg', [`name="${HVM}"`]);
    // The shell is on the serial port: write a marker to the VGA console from there.
    const con = await GuestConsole.open(lab, HVM, { type: 'serial', promptTimeoutMs: 240_000 });
    await page.getByRole('tab', { name: 'Consoles' }).click();
    await page.getByRole('button', { name: `Open the graphical console of ${HVM}` }).click({ timeout: 60_000 });
    await page.locator(`[data-console-guest="${HVM}"][data-console-phase="open"]`).waitFor({ timeout: 60_000 });
    const screen = page.getByRole('application', { name: `Graphical console of ${HVM}` });
    const canvas = screen.locator('canvas');
    await canvas.waitFor();
    const before = await canvas.screenshot();
    await con.run('clear > /dev/tty0; for i in 1 2 3 4 5 6 7 8 9 10; do echo MARKER-MARKER-MARKER-MARKER > /dev/tty0; done');
    // The frame changes once the marker lines arrive through VNC.
    let changed = false;
    for (let i = 0; i < 60 && !changed; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      changed = !(await canvas.screenshot()).equals(before);
    }
    expect(changed).toBe(true);
    // Keys: the guest's keyboard controller interrupts (i8042, IRQ 1) count what VNC delivered.
    const irq1 = async () => {
      const out = await con.run("grep -E '^ *1:' /proc/interrupts");
      return (out.match(/^\s*1:\s+(\d+)/m)?.[1] ?? '0');
    };
    const k0 = Number(await irq1());
    await canvas.click();
    await page.keyboard.type('abcabc');
    let k1 = k0;
    for (let i = 0; i < 20 && k1 <= k0; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      k1 = Number(await irq1());
    }
    con.close();
    expect(k1).toBeGreaterThan(k0);
  }, 900_000);
});

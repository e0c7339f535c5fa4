// What xterm.js in the page parsed for each guest's console, through the app's test hook
// (window.__domusConsoleTap, called by TextConsole for every chunk it writes to the terminal).
// Install it before the console opens so that nothing is missed.
import type { Page } from 'playwright-core';

export type TapEntry = { chunks: Uint8Array[]; tail: string; bytes: number };
export type TapWindow = { __domusConsoleTap: (g: string, b: Uint8Array) => void; __tap: Record<string, TapEntry>; __lag: { max: number; stop: () => void } };

/** Installs the page-side tap: every byte xterm parsed, per guest, plus a short tail to poll. */
export async function installTap(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as TapWindow;
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

export const tail = (page: Page, guest: string) => page.evaluate((g) => (window as unknown as TapWindow).__tap?.[g]?.tail ?? '', guest);

export async function waitForTail(page: Page, guest: string, re: RegExp, timeoutMs: number, nudge?: () => Promise<void>) {
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

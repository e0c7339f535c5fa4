// In real Chromium (browser mode, a stand-in backend whose text console prints a line): every
// glyph of the console shows. With xterm.js's default font stack and line height, `x86_64`
// rendered as "x86 64" in the DOM renderer: the underscore's ink lies below the row's box, which
// clips it. The check is geometric, no screenshot: for each `_` on screen, its baseline (the
// text's box plus the font's ascent) plus the underscore's ink descent (canvas measureText with
// the span's computed font) must stay inside the row that clips it; the same for every other
// glyph on screen (descenders of g, j, p, q, y; the tops of capitals and slashes).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/api/methods';
import { StreamRegistry, type ByteSource } from '../../../electron/streams/registry';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { openRendererWith } from '../../e2e/browserApp';

const LINE = 'Linux hx-con 6.1.0 x86_64 GNU/Linux\r\nroot@hx_con:~# echo __init__ gjpqy_\r\n';

/** A console that prints LINE every half second (the renderer may attach after the first). */
function printingSource(): ByteSource {
  let timer: NodeJS.Timeout | undefined;
  return {
    start: (out) => {
      let n = 0;
      timer = setInterval(() => {
        out.data(Buffer.from(LINE));
        if (++n === 20) clearInterval(timer);
      }, 500);
    },
    write: () => {},
    pause: () => {},
    resume: () => {},
    close: () => clearInterval(timer),
  };
}

interface Glyph {
  char: string;
  font: string;
  rowBottom: number;
  inkBottom: number;
  inkTop: number;
  rowTop: number;
}

describe('the text console shows every glyph (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;

  beforeAll(async () => {
    const streams = new StreamRegistry();
    const base = syntheticBackend(() => [guest(0, 1)]);
    const over: Record<string, unknown> = {
      streams,
      'console.hostCheck': async () => ({ overflow: 'keep' }),
      'console.open': async ({ guest: name }: { guest: string }) => {
        const { id, token } = streams.create(printingSource());
        return { streamId: id, token, kind: 'text', textType: 'pv', guest: name, domid: 1 };
      },
      'console.close': async () => ({ closed: true }),
    };
    const backend = new Proxy(base, { get: (t, k: string) => (k in over ? over[k] : t[k as keyof Backend]) });
    app = await openRendererWith(backend);
    page = app.page;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('draws the underscore of x86_64, and every other glyph, inside its row', { timeout: 90_000 }, async () => {
    await page.getByRole('tab', { name: 'Consoles' }).click({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Open the text console of g-0000' }).click({ timeout: 30_000 });
    const term = page.getByRole('application', { name: /g-0000/ });
    await term.locator('.xterm-rows').getByText('x86_64').first().waitFor({ timeout: 30_000 });
    const glyphs = await term.evaluate((root): Glyph[] => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      const out: Glyph[] = [];
      for (const row of Array.from(root.querySelectorAll<HTMLElement>('.xterm-rows > div'))) {
        const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = n.textContent ?? '';
          for (let i = 0; i < text.length; i++) {
            if (!/\S/.test(text[i])) continue;
            const range = document.createRange();
            range.setStart(n, i);
            range.setEnd(n, i + 1);
            const box = range.getBoundingClientRect();
            const style = getComputedStyle(n.parentElement!);
            ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const m = ctx.measureText(text[i]);
            // The text box spans the font's ascent + descent; the baseline is ascent below its top.
            const baseline = box.top + m.fontBoundingBoxAscent;
            const clip = row.getBoundingClientRect();
            out.push({
              char: text[i],
              font: ctx.font,
              rowTop: clip.top,
              rowBottom: clip.bottom,
              inkTop: baseline - m.actualBoundingBoxAscent,
              inkBottom: baseline + m.actualBoundingBoxDescent,
            });
          }
        }
      }
      return out;
    });
    expect(glyphs.filter((g) => g.char === '_').length).toBeGreaterThanOrEqual(5);
    for (const g of glyphs) {
      expect(g.inkBottom, `${g.char}: ink ends ${g.inkBottom - g.rowBottom}px below its row (${g.font})`).toBeLessThanOrEqual(g.rowBottom);
      expect(g.inkTop, `${g.char}: ink starts ${g.rowTop - g.inkTop}px above its row (${g.font})`).toBeGreaterThanOrEqual(g.rowTop);
    }
  });
});

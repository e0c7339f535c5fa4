// In real Chromium, in German: what a screen reader says — every aria-label and value text and
// every visually hidden text (PatternFly's screen-reader class) — is German. Each one must be a
// German text of Domus (a translation, its placeholders standing for anything), so an English
// label hard-coded in a component, or a library's English default left in place ("Danger alert:",
// "Close"), fails.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/api/methods';
import type { Task } from '../../../electron/api/tasks';
import { StreamRegistry } from '../../../electron/streams/registry';
import { resources } from '../../../renderer/src/i18n';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { openRendererWith } from '../../e2e/browserApp';

function strings(obj: unknown): string[] {
  if (typeof obj === 'string') return [obj];
  return typeof obj === 'object' && obj !== null ? Object.values(obj).flatMap(strings) : [];
}

/**
 * Each German text as a pattern: literal text, a placeholder standing for any text (a text that is
 * a placeholder alone, which would match anything, is left out; "{{action}} {{target}}: {{state}}"
 * stays, its parts are checked where they are translated).
 */
const GERMAN = strings(resources.de.translation)
  .filter((s) => /[^\s]/u.test(s.replace(/\{\{\w+\}\}/g, '')))
  .map((s) => new RegExp(`^${s.split(/\{\{\w+\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`));
/** Names of things the stand-in host has (guests, the host, a task's target): data, not words. */
const DATA = /^(g-\d{4}|Synthetic|web1|0000:00:04\.0)$/;

const failedTask: Task = {
  id: 'f1', hostId: 'benchhost', hostName: 'Synthetic', action: 'pci.giveBack', target: '0000:00:04.0', state: 'failed',
  startedAt: Date.now() - 5_000, endedAt: Date.now(), progress: null, cancellable: false, steps: [],
  error: { code: 'command_failed', message: 'Das Gerät ist noch einem Gast zugewiesen.', detail: 'libxl: error: assigned to domain 3' },
};

describe('what a screen reader says is German (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;

  beforeAll(async () => {
    const streams = new StreamRegistry();
    const base = syntheticBackend(() => [guest(0, 1)]);
    const over: Record<string, unknown> = {
      streams,
      'tasks.list': async () => [failedTask],
      'console.hostCheck': async () => ({ overflow: 'discard' }),
      'console.open': async ({ guest: name }: { guest: string }) => {
        const { id, token } = streams.create({ start: () => {}, write: () => {}, pause: () => {}, resume: () => {}, close: () => {} });
        return { streamId: id, token, kind: 'text', textType: 'pv', guest: name, domid: 1 };
      },
      'console.close': async () => ({ closed: true }),
    };
    app = await openRendererWith(new Proxy(base, { get: (t, k: string) => (k in over ? over[k] : t[k as keyof Backend]) }), undefined, { locale: 'de-DE' });
    page = app.page;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  /** Every aria-label, aria-valuetext and visually hidden text on the page now. */
  const spoken = () =>
    page.evaluate(() => {
      const out = new Set<string>();
      for (const attr of ['aria-label', 'aria-valuetext', 'aria-roledescription']) {
        for (const el of Array.from(document.querySelectorAll(`[${attr}]`))) out.add(el.getAttribute(attr)!.trim());
      }
      for (const el of Array.from(document.querySelectorAll('.pf-v6-screen-reader, .pf-v6-u-screen-reader'))) out.add((el.textContent ?? '').trim());
      return [...out].filter((s) => s.length > 0);
    });
  const heard = new Set<string>();
  const listen = async () => {
    for (const s of await spoken()) heard.add(s);
  };

  it('on the guest list, a guest\'s menu, the task log with a failure, a text console and a dialog', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Aktionen für g-0000' }).click({ timeout: 60_000 });
    await page.getByRole('menuitem', { name: 'Pausieren' }).waitFor({ timeout: 10_000 });
    await listen();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Aufgaben/ }).click();
    await page.getByRole('grid', { name: 'Aufgabenprotokoll' }).getByRole('row', { name: /fehlgeschlagen/ }).getByRole('button').first().click();
    await page.getByLabel('Originalausgabe des Werkzeugs').waitFor({ timeout: 10_000 });
    await listen();
    await page.getByRole('tab', { name: 'Konsolen' }).click();
    await page.getByRole('button', { name: 'Textkonsole von g-0000 öffnen' }).click({ timeout: 30_000 });
    await page.getByRole('application', { name: /g-0000/ }).waitFor({ timeout: 30_000 });
    // xenconsoled discards output a slow reader missed: the console view warns (an alert).
    await listen();
    // A dialog, with its close button.
    await page.getByRole('button', { name: 'Tastenkürzel' }).click();
    await page.getByRole('dialog').waitFor({ timeout: 10_000 });
    await listen();
    // Domus draws the dialog's close button itself: it closes, and so does Escape.
    await page.getByRole('dialog').getByRole('button', { name: 'Schließen' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByRole('button', { name: 'Tastenkürzel' }).click();
    await page.getByRole('dialog').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 });

    // The texts PatternFly and xterm.js would have said in English, said in German.
    expect([...heard]).toEqual(expect.arrayContaining(['Information:', 'Terminaleingabe', 'Schließen', 'Weitersuchen']));

    expect(heard.size).toBeGreaterThan(20);
    const english = [...heard].filter((s) => !DATA.test(s) && !GERMAN.some((re) => re.test(s)));
    expect(english).toEqual([]);
  });
});

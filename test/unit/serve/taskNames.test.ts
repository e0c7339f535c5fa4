// In real Chromium (browser mode, a stand-in backend): the task log names each task in words
// ("Set memory", never `cpu.setMemory`), says how long it took, and shows a failure's sentence in
// its row and, opened, the sentence with the tool's raw text under it. In German the guest's
// actions say "Pausieren" / "Fortsetzen" (not "Anhalten", which reads as stopping it).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guest } from '../../../electron/api/guests';
import type { Backend } from '../../../electron/api/methods';
import type { Task } from '../../../electron/api/tasks';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { openRendererWith } from '../../e2e/browserApp';

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const SENTENCE = 'The device could not be given back to dom0: a guest still has it.';
const RAW = 'libxl: error: libxl_pci.c:1488:libxl__device_pci_assignable_remove: 0000:00:04.0 is assigned to domain 3';
const tasks: Task[] = [
  {
    id: 'a1', hostId: 'benchhost', hostName: 'Synthetic', action: 'cpu.setMemory', target: 'web1', state: 'succeeded',
    startedAt: T0, endedAt: T0 + 2_500, progress: 1, cancellable: false,
    steps: [{ command: 'xl mem-set web1 1024m', startedAt: T0, endedAt: T0 + 2_500, exitCode: 0 }],
  },
  {
    id: 'a2', hostId: 'benchhost', hostName: 'Synthetic', action: 'pci.giveBack', target: '0000:00:04.0', state: 'failed',
    startedAt: T0 + 10_000, endedAt: T0 + 10_000 + 83_000, progress: null, cancellable: false,
    steps: [{ command: 'xl pci-assignable-remove -r 0000:00:04.0', startedAt: T0 + 10_000, endedAt: T0 + 93_000, exitCode: 1, stderr: RAW }],
    error: { code: 'command_failed', message: SENTENCE, detail: RAW },
  },
];

function backendWith(guests: () => Guest[]): Backend {
  const base = syntheticBackend(guests);
  return new Proxy(base, { get: (t, k: string) => (k === 'tasks.list' ? async () => tasks : t[k as keyof Backend]) });
}

describe('the task log in words (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;

  beforeAll(async () => {
    app = await openRendererWith(backendWith(() => [guest(0, 1)]));
    page = app.page;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('names each task, says how long it took, and puts a failure\'s sentence before its raw text', { timeout: 90_000 }, async () => {
    await page.getByRole('button', { name: /^Tasks \(2, 0 running\)/ }).click({ timeout: 60_000 });
    const log = page.getByRole('grid', { name: 'Task log' });
    const memory = log.getByRole('row', { name: 'Set memory web1: succeeded' });
    await memory.waitFor({ timeout: 30_000 });
    expect(await memory.getByRole('gridcell').allInnerTexts()).toEqual(expect.arrayContaining(['Set memory', '2.5 s']));

    const failed = log.getByRole('row', { name: 'Give device back 0000:00:04.0: failed' });
    expect(await failed.getByRole('gridcell').allInnerTexts()).toEqual(expect.arrayContaining(['Give device back', '1 min 23 s']));
    await expect(failed.innerText()).resolves.toContain(SENTENCE);
    expect(await log.innerText()).not.toMatch(/cpu\.setMemory|pci\.giveBack/);

    await failed.getByRole('button').first().click();
    const raw = log.getByLabel("The tool’s own words");
    await raw.waitFor({ timeout: 10_000 });
    expect(await raw.innerText()).toBe(RAW);
    // The sentence comes first, the raw text under it, in the opened row.
    const order = await raw.evaluate((pre) => {
      const sentence = pre.parentElement?.querySelector('.domus-task-sentence');
      return sentence ? [sentence.textContent, Boolean(sentence.compareDocumentPosition(pre) & Node.DOCUMENT_POSITION_FOLLOWING)] : null;
    });
    expect(order).toEqual([SENTENCE, true]);
  });
});

describe('German names (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;
  const paused = { ...guest(1, 0), state: 'paused' as const };

  beforeAll(async () => {
    app = await openRendererWith(backendWith(() => [guest(0, 1), paused]), undefined, { locale: 'de-DE' });
    page = app.page;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('pauses and resumes a guest in German words, and names tasks in German', { timeout: 90_000 }, async () => {
    await page.getByRole('button', { name: 'Aktionen für g-0000' }).click({ timeout: 60_000 });
    await page.getByRole('menuitem', { name: 'Pausieren' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('menuitem', { name: 'Anhalten' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Aktionen für g-0001' }).click();
    await page.getByRole('menuitem', { name: 'Fortsetzen' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /^Aufgaben \(2, 0 laufen\)/ }).click();
    const log = page.getByRole('grid', { name: 'Aufgabenprotokoll' });
    const memory = log.getByRole('row', { name: 'Arbeitsspeicher setzen web1: erfolgreich' });
    expect(await memory.getByRole('gridcell').allInnerTexts()).toEqual(expect.arrayContaining(['2,5 s']));
  });
});

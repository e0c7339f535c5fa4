// In real Chromium (browser mode, a stand-in backend whose create methods are the xl driver's own
// pure parts: buildConfig, the page rules, describeConfig): what a user sees in the create wizard —
// HVM direct kernel boot with its command line default and console hint, the ramdisk browser in
// the kernel's folder with sizes like "512 KiB", memory above free allowed for "create, don't
// start" and refused for "create and start", and the review summary following a hand edit.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateAnswers, CreateFacts } from '../../../electron/api/create';
import { validateAll } from '../../../electron/api/createRules';
import type { Backend } from '../../../electron/api/methods';
import { buildConfig, configPathFor } from '../../../electron/drivers/xl/create/config';
import { diskPlan } from '../../../electron/drivers/xl/create/plan';
import { describeConfig } from '../../../electron/drivers/xl/create/summary';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { openRendererWith } from '../../e2e/browserApp';

const FREE_MIB = 900;

const facts: CreateFacts = {
  types: { pv: { available: true, reason: null }, pvh: { available: true, reason: null }, hvm: { available: true, reason: null } },
  nrCpus: 2, totalMemoryMiB: 2048, freeMemoryMiB: FREE_MIB, usedNames: ['Domain-0'], bridges: ['xenbr0'], volumeGroups: [],
  storageDir: '/var/lib/xen/images', configDir: '/etc/xen',
};

const file = (dir: string, name: string, sizeBytes: number) => ({ name, path: `${dir}/${name}`, kind: 'file' as const, sizeBytes });
const LISTINGS: Record<string, ReturnType<typeof file>[]> = {
  '/root/kit': [file('/root/kit', 'initrd.gz', 524_288), file('/root/kit', 'vmlinuz', 8_222_656), file('/root/kit', 'hvm.cfg', 600)],
};

const create: Partial<Backend> = {
  'create.facts': async () => facts,
  'create.listTemplates': async () => [],
  'create.browse': async ({ dir }) => ({ dir, entries: LISTINGS[dir] ?? [] }),
  // The backend's preview without the host's file checks: the same rules (no start choice yet).
  'create.preview': async ({ answers }: { answers: CreateAnswers }) => ({
    configPath: configPathFor(answers.name), configText: buildConfig(answers), disks: diskPlan(answers), problems: validateAll(answers, { ...facts, usedNames: [] }),
  }),
  'create.dryRun': async () => ({ ok: true, message: null, detail: null }),
  'create.describe': async ({ configText }) => describeConfig(configText),
};

describe('the create wizard (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;

  beforeAll(async () => {
    const base = syntheticBackend(() => [guest(0, 1)]);
    const backend = new Proxy(base, { get: (t, k: string) => create[k as keyof Backend] ?? t[k as keyof Backend] });
    app = await openRendererWith(backend);
    page = app.page;
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  const T = { timeout: 30_000 };
  const wizard = () => page.getByRole('dialog', { name: 'Create a guest' });
  const next = () => wizard().getByRole('button', { name: 'Next', exact: true });
  const step = (name: string) => wizard().getByRole('button', { name, exact: true });
  const summary = () => wizard().getByLabel('Summary');

  it('HVM boots a kernel directly: command line default and hint, ramdisk beside the kernel, sizes in KiB', { timeout: 240_000 }, async () => {
    await page.getByRole('button', { name: 'Create guest' }).click({ timeout: 120_000 });
    const w = wizard();
    await w.getByRole('textbox', { name: 'Name' }).fill('hw-ui');
    await w.getByRole('radio', { name: 'HVM', exact: true }).check();
    await next().click();
    await w.getByRole('radio', { name: 'A kernel on the host (direct boot)' }).check(T);
    const cmdline = w.getByRole('textbox', { name: 'Kernel command line' });
    expect(await cmdline.inputValue()).toBe('console=ttyS0');
    await w.getByText("An HVM guest's text console is its serial port: keep console=ttyS0 in the command line").waitFor(T);
    await w.getByRole('textbox', { name: 'Kernel', exact: true }).fill('/root/kit/vmlinuz');
    await w.getByRole('button', { name: 'Browse the host for Ramdisk' }).click();
    const files = page.getByRole('region', { name: 'Choose Ramdisk on the host' }).getByRole('table', { name: 'Files in /root/kit' });
    await files.getByRole('row', { name: /initrd\.gz\s+512 KiB/ }).waitFor(T);
    expect(await files.getByRole('row', { name: /vmlinuz/ }).innerText()).toContain('7.8 MiB');
    expect(await files.getByRole('row', { name: /hvm\.cfg/ }).innerText()).toContain('600 B');
    await files.getByRole('button', { name: 'Choose initrd.gz' }).click();
    expect(await w.getByRole('textbox', { name: 'Ramdisk' }).inputValue()).toBe('/root/kit/initrd.gz');
    // PV: the default follows the type, and so does the hint.
    await step('Name and type').click();
    await w.getByRole('radio', { name: 'PV', exact: true }).check();
    await step('Boot').click();
    expect(await cmdline.inputValue()).toBe('console=hvc0');
    await w.getByText('keep console=hvc0 in the command line').waitFor(T);
    await step('Name and type').click();
    await w.getByRole('radio', { name: 'HVM', exact: true }).check();
    await step('Boot').click();
    expect(await cmdline.inputValue()).toBe('console=ttyS0');
    expect(await w.getByRole('textbox', { name: 'Kernel', exact: true }).inputValue()).toBe('/root/kit/vmlinuz');
  });

  it('memory above free: a warning on its page, refused on the review only while "start" is ticked', { timeout: 240_000 }, async () => {
    const w = wizard();
    await next().click(); // to CPU and memory
    await w.getByRole('spinbutton', { name: 'Memory at start' }).fill('4096');
    await w.getByText(`4096 MiB is more than the ${FREE_MIB} MiB the host has free now: the guest can be created, but it will not start until that much is free.`).waitFor(T);
    expect(await next().isDisabled()).toBe(false);
    // Storage, network, devices, then the review.
    for (let i = 0; i < 4; i++) await next().click(T);
    const refusal = w.getByText(`4096 MiB is more than the ${FREE_MIB} MiB the host has free, so the guest cannot start now: give it less memory, or create it without starting.`);
    await refusal.waitFor(T);
    const createButton = w.getByRole('button', { name: 'Create', exact: true });
    expect(await createButton.isDisabled()).toBe(true);
    await w.getByRole('checkbox', { name: 'Start after creation' }).uncheck();
    await refusal.waitFor({ state: 'detached', ...T });
    await expect.poll(() => createButton.isDisabled(), T).toBe(false);
    await summary().getByText('Kernel /root/kit/vmlinuz').waitFor(T);
  });

  it('the review summary follows kernel lines added by hand in the editor', { timeout: 240_000 }, async () => {
    const w = wizard();
    // Back to a guest that boots from the network, then kernel lines typed into the config.
    await step('Boot').click();
    await w.getByRole('radio', { name: 'Network boot (PXE)' }).check();
    await step('Review').click();
    await summary().getByText('Network boot (PXE)').waitFor(T);
    await w.getByText('Edit the config before creating (advanced)').click();
    const editor = w.getByRole('textbox', { name: 'xl.cfg to be written' });
    await editor.waitFor(T);
    await editor.fill(`${await editor.inputValue()}kernel = "/root/kit/vmlinuz"\nramdisk = "/root/kit/initrd.gz"\ncmdline = "console=ttyS0"\n`);
    await summary().getByText('Kernel /root/kit/vmlinuz').waitFor(T);
    expect(await summary().getByText('Network boot (PXE)').count()).toBe(0);
    await w.getByText('This summary follows your edit of the config.').waitFor(T);
  });
});

// @vitest-environment jsdom
// The review's summary follows a hand edit: kernel lines added in the advanced editor to an HVM
// guest that booted its first disk make the summary say kernel boot (it said "Its first disk").
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CreatePreview } from '../../../electron/api/create';
import { buildConfig } from '../../../electron/drivers/xl/create/config';
import { describeConfig } from '../../../electron/drivers/xl/create/summary';
import { ClientProvider } from '../../../renderer/src/api/context';
import type { DomusClient } from '../../../renderer/src/api/client';
import { ReviewStep, type ReviewOptions } from '../../../renderer/src/components/create/ReviewStep';
import { initI18n } from '../../../renderer/src/i18n';
import { hvmAnswers } from '../create/fixtures';

beforeAll(() => {
  initI18n('en');
});
afterEach(cleanup);

function renderReview(edit: (generated: string) => string) {
  const a = hvmAnswers({ boot: { kind: 'disk' }, pci: [] });
  const preview: CreatePreview = { configPath: `/etc/xen/${a.name}.cfg`, configText: buildConfig(a), disks: [], problems: [] };
  // The backend's own reading of the text stands behind create.describe.
  const call = vi.fn(async (method: string, p: { configText: string }) =>
    method === 'create.describe' ? describeConfig(p.configText) : method === 'create.dryRun' ? { ok: true, message: null, detail: null } : null);
  const client = { call } as unknown as DomusClient;
  const opts: ReviewOptions = { advanced: true, text: edit(preview.configText), start: false, openConsole: false };
  render(
    <ClientProvider client={client}>
      <ReviewStep hostId="h1" a={a} preview={preview} opts={opts} setOpts={() => undefined} />
    </ClientProvider>,
  );
  return screen.getByLabelText('Summary');
}

describe('the review summary after a hand edit', () => {
  it('says kernel boot once kernel lines were added in the editor', { timeout: 20_000 }, async () => {
    const summary = renderReview((g) => `${g.replace(/^memory = 128$/m, 'memory = 384')}kernel = "/root/kit/vmlinuz"\nramdisk = "/root/kit/initrd.gz"\ncmdline = "console=ttyS0"\n`);
    await within(summary).findByText('Kernel /root/kit/vmlinuz', undefined, { timeout: 10_000 });
    expect(within(summary).queryByText('Its first disk')).toBeNull();
    expect(within(summary).getByText(/384 MiB/)).toBeTruthy();
    expect(screen.getByText('This summary follows your edit of the config.')).toBeTruthy();
  });

  it('keeps the answers and says why when the edit cannot be read', { timeout: 20_000 }, async () => {
    const summary = renderReview((g) => `${g}memory = = 3\n`);
    await screen.findByText(/The edited config cannot be read \(.*\); this summary shows the wizard's answers\./, undefined, { timeout: 10_000 });
    expect(within(summary).getByText('Its first disk')).toBeTruthy();
  });
});

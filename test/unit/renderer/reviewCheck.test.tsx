// @vitest-environment jsdom
// The wizard's review page has xl check what will be written as soon as it shows: the generated
// config (what the create writes when nothing was edited) or the advanced edit once it settles.
// The backend skips its own xl create -n for exactly the text this check passed.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CreatePreview } from '../../../electron/api/create';
import { buildConfig } from '../../../electron/drivers/xl/create/config';
import { ClientProvider } from '../../../renderer/src/api/context';
import type { DomusClient } from '../../../renderer/src/api/client';
import { ReviewStep, type ReviewOptions } from '../../../renderer/src/components/create/ReviewStep';
import { initI18n } from '../../../renderer/src/i18n';
import { pvAnswers } from '../create/fixtures';

beforeAll(() => {
  initI18n('en');
});
afterEach(cleanup);

function renderReview(opts: ReviewOptions) {
  const a = pvAnswers();
  const preview: CreatePreview = { configPath: `/etc/xen/${a.name}.cfg`, configText: buildConfig(a), disks: [], problems: [] };
  const call = vi.fn(async (method: string) => (method === 'create.dryRun' ? { ok: true, message: null, detail: null } : null));
  const client = { call } as unknown as DomusClient;
  render(
    <ClientProvider client={client}>
      <ReviewStep hostId="h1" a={a} preview={preview} opts={opts} setOpts={() => undefined} />
    </ClientProvider>,
  );
  return { call, preview };
}

describe('the review page checks with xl', () => {
  it('the generated config, without the advanced editor open', { timeout: 20_000 }, async () => {
    const { call, preview } = renderReview({ advanced: false, text: '', start: true, openConsole: true });
    await waitFor(() => expect(call).toHaveBeenCalledWith('create.dryRun', { hostId: 'h1', configText: preview.configText }), { timeout: 10_000 });
    expect(call.mock.calls.filter(([m]) => m === 'create.dryRun')).toHaveLength(1);
  });

  it('the advanced edit, and shows xl\'s verdict', { timeout: 20_000 }, async () => {
    const { call } = renderReview({ advanced: true, text: 'name = "wz-pv"\n# edited\n', start: true, openConsole: true });
    await waitFor(() => expect(call).toHaveBeenCalledWith('create.dryRun', { hostId: 'h1', configText: 'name = "wz-pv"\n# edited\n' }), { timeout: 10_000 });
    await screen.findByText('xl create -n accepts this config.', undefined, { timeout: 10_000 });
  });
});

// The shutdown wait: no command runs while the inventory watches the domain go; xl has the last
// word only when that wait runs out; a refused request is xl's own words.
import { describe, expect, it } from 'vitest';
import { shutdownGuest, type Run } from '../../../electron/drivers/xl/lifecycle';

function host(domainStillThere: boolean, shutdown = { code: 0, stdout: '', stderr: '' }) {
  const ran: string[] = [];
  const run: Run = async (argv) => {
    ran.push(argv.join(' '));
    if (argv[1] === 'shutdown') return shutdown;
    // The paused check (pausedShutdown.test.ts): xl list failing lets the shutdown go ahead.
    if (argv[1] === 'list') return { code: 1, stdout: '', stderr: '' };
    if (argv[1] === 'domid') return domainStillThere ? { code: 0, stdout: '7\n', stderr: '' } : { code: 1, stdout: '', stderr: 'Unable to get domid' };
    throw new Error(`unexpected ${argv.join(' ')}`);
  };
  return { run, ran };
}

describe('shutdownGuest', () => {
  it('returns when the inventory sees the domain go, having run only xl shutdown', async () => {
    const { run, ran } = host(true);
    await shutdownGuest(run, 'g', 60_000, new AbortController().signal, async () => true);
    expect(ran).toEqual(['xl list -- g', 'xl shutdown -- g']);
  });

  it('asks xl once the wait runs out: gone after all is fine, still there is a timeout naming force off', async () => {
    const gone = host(false);
    await shutdownGuest(gone.run, 'g', 1000, new AbortController().signal, async () => false);
    expect(gone.ran).toEqual(['xl list -- g', 'xl shutdown -- g', 'xl domid -- g']);
    const stuck = host(true);
    await expect(shutdownGuest(stuck.run, 'g', 1000, new AbortController().signal, async () => false)).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/did not shut down within 1 s.*force it off/),
    });
  });

  it('says the request was sent when the wait is cancelled', async () => {
    const { run } = host(true);
    const ac = new AbortController();
    const wait = shutdownGuest(run, 'g', 60_000, ac.signal, (_ms, signal) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))));
    setTimeout(() => ac.abort(), 10);
    await expect(wait).rejects.toThrow(/Stopped waiting for g to shut down; the shutdown request was already sent/);
  });

  it('reports a guest that does not acknowledge the request as a timeout with xl\'s text', async () => {
    const { run } = host(true, { code: 1, stdout: '', stderr: "libxl: error: guest didn't acknowledge control request: -6\n" });
    await expect(shutdownGuest(run, 'g', 60_000, new AbortController().signal, async () => true)).rejects.toMatchObject({
      code: 'timeout',
      detail: expect.stringContaining("didn't acknowledge control request"),
    });
  });
});

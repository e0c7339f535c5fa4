// Shutting down a paused guest is refused at once, on the domain's state as `xl list` prints it
// now (recorded on the lab: a kit guest paused with `xl pause`), with a sentence naming Resume and
// Force off and a detail the UI reads back; a guest that is not paused is asked to shut down.
import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { isPausedRefusal } from '../../../electron/api/lifecycle';
import { shutdownGuest, type Run } from '../../../electron/drivers/xl/lifecycle';

const paused = labFixture('xl-list-paused');
const running = labFixture('xl-list');
const NAME = paused.argv[3];

function host(list: { stdout: string; exitCode: number | null }) {
  const ran: string[] = [];
  const run: Run = async (argv) => {
    ran.push(argv.join(' '));
    if (argv[1] === 'list') return { code: list.exitCode ?? 1, stdout: list.stdout, stderr: '' };
    if (argv[1] === 'shutdown') return { code: 0, stdout: '', stderr: '' };
    throw new Error(`unexpected ${argv.join(' ')}`);
  };
  return { run, ran };
}

describe('shutdown of a paused guest', () => {
  it('the recording is of a paused guest, listed by name', () => {
    expect(paused.argv).toEqual(['xl', 'list', '--', NAME]);
    expect(paused.stdout).toMatch(new RegExp(`^${NAME}\\s.*--p---`, 'm'));
  });

  it('is refused before any shutdown request, saying resume or force off', async () => {
    const { run, ran } = host(paused);
    const started = Date.now();
    const err = await shutdownGuest(run, NAME, 60_000, new AbortController().signal, async () => false).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toMatchObject({ code: 'conflict', message: `${NAME} is paused, so it cannot answer a shutdown request. Resume it first, or force it off.` });
    expect(isPausedRefusal(err as { code: string; detail?: string })).toBe(true);
    expect((err as { detail: string }).detail).toContain('--p---');
    expect(ran).toEqual([`xl list -- ${NAME}`]);
  });

  it('a guest that is not paused is asked to shut down', async () => {
    const { run, ran } = host(running);
    await shutdownGuest(run, 'kit-pv', 60_000, new AbortController().signal, async () => true);
    expect(ran).toEqual(['xl list -- kit-pv', 'xl shutdown -- kit-pv']);
  });

  it('other conflicts are not read as the paused refusal', () => {
    expect(isPausedRefusal({ code: 'conflict', message: 'g is not running.' } as never)).toBe(false);
    expect(isPausedRefusal({ code: 'timeout', detail: 'state: paused\nx' })).toBe(false);
  });
});

// A host that sends a number the UI cannot show (a run of 400 digits is Infinity to JavaScript)
// must not get it onto the screen, nor make the backend throw on the contract's check: the
// sample is dropped, the guest keeps its previous figures, and the drop is counted and logged.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Guest, GuestStats } from '../../../electron/api/guests';
import { XlDriver } from '../../../electron/drivers/xl/driver';
import type { CommandStream, Transport } from '../../../electron/transport/types';
import { labFixture } from '../../fixtures/lab';
import { until } from '../../support/wait';

function fakeStream(): CommandStream & { stdout: PassThrough } {
  let end: (r: { code: number | null }) => void = () => undefined;
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    done: new Promise((resolve) => (end = resolve)),
    close: () => end({ code: null }),
  };
}

/** The recorded xl outputs; the monitor's stream is fed by the test. */
function recordedHost(monitor: CommandStream): Transport {
  const outputs: Record<string, string> = {
    'xl list': labFixture('xl-list').stdout,
    'xl list -l': labFixture('xl-list-l').stdout,
    'xl info': labFixture('xl-info').stdout,
  };
  return {
    exec: async (argv) => ({ code: 0, stdout: outputs[argv.join(' ')] ?? '', stderr: '' }),
    stream: async (argv) => (argv[0] === 'python3' ? monitor : fakeStream()),
  };
}

/** The recorded monitor blocks, only for the domains the recorded `xl list` has. */
function recordedBlocks(): string[] {
  const names = new Set(['Domain-0', 'kit-pv', 'kit-pvnet']);
  return labFixture('monitor')
    .stdout.split(/(?<=\ne\n)/)
    .map((b) => b.split('\n').filter((l) => !l.startsWith('d ') || names.has(l.split(' ').slice(10).join(' '))).join('\n'));
}

const stopped: XlDriver[] = [];
afterEach(() => stopped.splice(0).forEach((d) => d.stop()));

describe('XlDriver and numbers a host should never send', () => {
  it('drops the sample, keeps the previous figures, counts and logs the drop', async () => {
    const monitor = fakeStream();
    const logged: string[] = [];
    const driver = new XlDriver(recordedHost(monitor), { log: (l) => logged.push(l) });
    stopped.push(driver);
    const events: unknown[] = [];
    driver.on('stats', (s) => events.push(GuestStats.safeParse(s)));
    driver.on('guests', (d) => d.upserted.forEach((g) => events.push(Guest.safeParse(g))));
    await driver.start();
    const [first, second, third] = recordedBlocks();
    monitor.stdout.write(first + second);
    await until('kit-pv has a CPU %', () => driver.guests().some((g) => g.name === 'kit-pv' && g.cpuPercent !== null), 5_000, 10);
    const before = driver.guests().find((g) => g.name === 'kit-pv')!;

    // kit-pv's memory as 400 digits; Domain-0 in the same block is fine.
    const broken = third.replace(/^(d \d+ \S+ \d+ )\d+( .* kit-pv)$/m, `$1${'9'.repeat(400)}$2`);
    expect(broken).not.toBe(third);
    monitor.stdout.write(broken);
    // The rest of the block is taken: Domain-0 shows its CPU time from it.
    const d0CpuNs = Number(/^d 0 \S+ (\d+) /m.exec(third)![1]);
    const d0 = () => driver.guests().find((g) => g.name === 'Domain-0')!;
    await until('the third sample is read', () => d0().cpuSeconds === d0CpuNs / 1e9, 5_000, 10);

    // Everything the driver sent matches the contract (no Infinity, which zod refuses).
    for (const e of events) expect(e).toMatchObject({ success: true });
    const after = driver.guests().find((g) => g.name === 'kit-pv')!;
    expect(after.memoryMiB).toBe(before.memoryMiB);
    expect(driver.droppedSamples).toBe(1);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/1 live sample.*dropped.*1 dropped since connecting/);
  });
});

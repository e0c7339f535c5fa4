// The driver's line streams (the xenstore watches, the monitor script) are fed by the host: a
// line that never ends must neither keep growing in memory nor be re-scanned on every chunk, and
// the lines after it must still be read.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { XlDriver } from '../../../electron/drivers/xl/driver';
import type { GuestsDelta } from '../../../electron/drivers/types';
import { LocalTransport } from '../../../electron/transport/local';
import type { CommandStream, Transport } from '../../../electron/transport/types';
import { makeRecordedHost } from '../../support/recordedHost';
import { tempDir } from '../../support/sshd';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function fakeStream(): CommandStream & { stdout: PassThrough } {
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    done: new Promise(() => undefined),
    close: () => undefined,
  };
}

async function startDriver() {
  const dir = await tempDir();
  cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
  await makeRecordedHost(dir);
  const savedPath = process.env.PATH;
  process.env.PATH = `${path.join(dir, 'bin')}:${savedPath}`;
  cleanup.push(() => void (process.env.PATH = savedPath));
  const local = new LocalTransport();
  const fakes: Record<string, CommandStream & { stdout: PassThrough }> = {};
  const transport: Transport = {
    exec: (argv, opts) => local.exec(argv, opts),
    stream: async (argv) => (fakes[argv[0]] = fakeStream()),
  };
  const driver = new XlDriver(transport);
  cleanup.push(() => driver.stop());
  await driver.start();
  return { driver, watches: fakes.sh.stdout, monitor: fakes.python3.stdout };
}

/** Feeds `mib` MiB without a newline in 64 KiB chunks, as ssh delivers them; returns the milliseconds. */
function feedEndlessLine(out: PassThrough, mib: number): number {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const started = performance.now();
  for (let i = 0; i < mib * 16; i++) out.emit('data', chunk);
  return performance.now() - started;
}

describe('XlDriver line streams', () => {
  it('drops and reports an endless watch line cheaply, and reads the line after it', async () => {
    const { driver, watches } = await startDriver();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    cleanup.push(() => errors.mockRestore());
    const deltas: GuestsDelta[] = [];
    driver.on('guests', (d) => deltas.push(d));
    const ms = feedEndlessLine(watches, 16);
    expect(ms, '16 MiB without a newline').toBeLessThan(400);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/xenstore watch.*line longer than .* dropped/));
    // The rest of the endless line is dropped too; the next line is an event again.
    watches.emit('data', Buffer.from('xxx\ngone: 4\n'));
    expect(deltas.some((d) => d.removed.length === 1)).toBe(true);
  });

  it('drops and reports an endless monitor line cheaply', async () => {
    const { monitor } = await startDriver();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    cleanup.push(() => errors.mockRestore());
    const ms = feedEndlessLine(monitor, 16);
    expect(ms, '16 MiB without a newline').toBeLessThan(400);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/monitor.*line longer than .* dropped/));
  });
});

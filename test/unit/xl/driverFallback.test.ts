// Where the monitor script cannot even start (this computer's dom0 without python3: the spawn
// fails), the driver watches the host through xentop instead of giving up the connection.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { XlDriver } from '../../../electron/drivers/xl/driver';
import { DomusError } from '../../../electron/api/errors';
import { LocalTransport } from '../../../electron/transport/local';
import type { Transport } from '../../../electron/transport/types';
import { makeRecordedHost } from '../../support/recordedHost';
import { tempDir } from '../../support/sshd';
import { until } from '../../support/wait';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('XlDriver without python3', () => {
  it('falls back to xentop when the monitor cannot be spawned', async () => {
    const dir = await tempDir();
    cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
    await makeRecordedHost(dir);
    const savedPath = process.env.PATH;
    process.env.PATH = `${path.join(dir, 'bin')}:${savedPath}`;
    cleanup.push(() => void (process.env.PATH = savedPath));
    const local = new LocalTransport();
    const streamed: string[] = [];
    const transport: Transport = {
      exec: (argv, opts) => local.exec(argv, opts),
      stream: (argv, opts) => {
        streamed.push(argv[0]);
        if (argv[0] === 'python3') return Promise.reject(new DomusError('not_found', 'python3 is not installed on this computer.'));
        return local.stream(argv, opts);
      },
    };
    const driver = new XlDriver(transport);
    const failed: Error[] = [];
    driver.on('failed', (e) => failed.push(e));
    cleanup.push(() => driver.stop());
    await driver.start();
    await until('a CPU % from xentop', () => driver.guests().some((g) => g.cpuPercent !== null), 20_000, 50);
    expect(streamed).toContain('xentop');
    expect(failed).toEqual([]);
  });
});

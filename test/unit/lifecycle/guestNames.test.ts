// A guest's name comes from the host; one with "/" or ".." must never steer where Domus writes,
// and one that starts with "-" must never be read by xl as an option.
import { describe, expect, it } from 'vitest';
import { pauseGuest, readAutostart, saveGuest, setAutostart, type Run } from '../../../electron/drivers/xl/lifecycle';
import { cpupoolMigrateArgv, memSetArgv, vcpuSetArgv } from '../../../electron/drivers/xl/cpu';
import { consoleArgv } from '../../../electron/drivers/xl/console';
import { configPathFor } from '../../../electron/drivers/xl/create/config';

/** Records every argv; answers like a host where nothing exists yet. */
function recorder() {
  const calls: string[][] = [];
  const run: Run = async (argv) => {
    calls.push([...argv]);
    return { code: argv[0] === 'test' || argv[0] === 'readlink' ? 1 : 0, stdout: '', stderr: '' };
  };
  return { calls, run };
}

describe('guest names from the host', () => {
  for (const name of ['../../etc/cron.d/x', 'a/b', '..', 'x..y']) {
    it(`never makes an autostart link or config path from ${JSON.stringify(name)}`, async () => {
      const { calls, run } = recorder();
      await expect(setAutostart(run, name, '/etc/xen/x.cfg', true)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('autostart link') });
      await expect(setAutostart(run, name, '/etc/xen/x.cfg', false)).rejects.toMatchObject({ code: 'invalid_input' });
      expect(await readAutostart(run, name)).toBeNull();
      expect(calls.filter((argv) => argv.some((a) => a.includes(name)))).toEqual([]);
      expect(() => configPathFor(name)).toThrow(/cannot be part of a file name/);
    });
  }

  it('still makes the link for an ordinary name', async () => {
    const { calls, run } = recorder();
    await setAutostart(run, 'web-1.lab', '/etc/xen/web-1.lab.cfg', true);
    expect(calls).toContainEqual(['ln', '-s', '--', '/etc/xen/web-1.lab.cfg', '/etc/xen/auto/web-1.lab.cfg']);
  });

  it('puts -- before the guest name in xl argv', async () => {
    const { calls, run } = recorder();
    await pauseGuest(run, '-h');
    await saveGuest(run, '-h', '/var/lib/xen/save/x.save').catch(() => undefined);
    expect(calls).toContainEqual(['xl', 'pause', '--', '-h']);
    expect(calls).toContainEqual(['xl', 'save', '--', '-h', '/var/lib/xen/save/x.save']);
    expect(vcpuSetArgv('-h', 2)).toEqual(['xl', 'vcpu-set', '--', '-h', '2']);
    expect(memSetArgv('-h', 128)).toEqual(['xl', 'mem-set', '--', '-h', '128m']);
    expect(cpupoolMigrateArgv('-h', 'Pool-0')).toEqual(['xl', 'cpupool-migrate', '--', '-h', 'Pool-0']);
    expect(consoleArgv('-h', 'pv')).toEqual(['xl', 'console', '-t', 'pv', '--', '-h']);
  });
});

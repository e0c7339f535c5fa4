// The create script against a recording runner: the order of commands, no-clobber creation, and
// rollback of exactly what was made when a step fails.
import { describe, expect, it } from 'vitest';
import { DomusError } from '../../../electron/api/errors';
import { buildConfig } from '../../../electron/drivers/xl/create/config';
import { diskOps } from '../../../electron/drivers/xl/create/plan';
import { runCreateScript } from '../../../electron/drivers/xl/create/script';
import type { Run } from '../../../electron/drivers/xl/lifecycle';
import type { ExecResult } from '../../../electron/transport/types';
import { labFixture } from '../../fixtures/lab';
import { pvAnswers } from './fixtures';

type Rule = (argv: readonly string[]) => Partial<ExecResult> | undefined;

function recorder(...rules: Rule[]) {
  const calls: string[][] = [];
  const run: Run = async (argv) => {
    calls.push([...argv]);
    for (const r of rules) {
      const res = r(argv);
      if (res) return { code: 0, stdout: '', stderr: '', ...res };
    }
    return { code: 0, stdout: '', stderr: '' };
  };
  const cmds = () => calls.map((c) => (c[0] === 'sh' ? `sh ${c[2].includes('cat') ? 'write' : 'touch'} ${c[4]}` : c.join(' ')));
  return { run, calls, cmds };
}

const steps = (start = true) => {
  const a = pvAnswers();
  return { name: a.name, configPath: '/etc/xen/wz-pv.cfg', configText: buildConfig(a), disks: diskOps(a), start };
};

describe('the create script', () => {
  it('config to a temp file, xl create -n, disks made exclusively then filled, ln into place, start', async () => {
    const r = recorder();
    const res = await runCreateScript(r.run, steps());
    const tmp = r.calls[0][4];
    expect(tmp).toMatch(/^\/etc\/xen\/\.wz-pv\.cfg\.domus-[0-9a-f]{8}$/);
    expect(r.calls[0].slice(0, 3)).toEqual(['sh', '-c', 'set -C && umask 077 && cat > "$1" && chmod "$2" "$1"']);
    expect(r.calls[0][5]).toBe('0644');
    expect(r.cmds()).toEqual([
      `sh write ${tmp}`,
      `xl create -n ${tmp}`,
      'sh touch /var/lib/xen/images/wz-pv.img',
      'qemu-img create -q -f raw /var/lib/xen/images/wz-pv.img 64M',
      'sh touch /var/lib/xen/images/wz-pv-2.vhd',
      'qemu-img create -q -f vpc /var/lib/xen/images/wz-pv-2.vhd 32M',
      `ln -- ${tmp} /etc/xen/wz-pv.cfg`,
      `rm -f -- ${tmp}`,
      'xl create /etc/xen/wz-pv.cfg',
    ]);
    expect(res).toEqual({ name: 'wz-pv', configPath: '/etc/xen/wz-pv.cfg', created: ['/var/lib/xen/images/wz-pv.img', '/var/lib/xen/images/wz-pv-2.vhd', '/etc/xen/wz-pv.cfg'], started: true });
  });

  it('text that xl create -n passed at review is not checked a second time', async () => {
    const r = recorder();
    await runCreateScript(r.run, { ...steps(), checkedByXl: true });
    expect(r.cmds().some((c) => c.startsWith('xl create -n'))).toBe(false);
    expect(r.cmds().at(-1)).toBe('xl create /etc/xen/wz-pv.cfg');
  });

  it('a failing second disk removes the first disk, its own placeholder and the temp config, and says so', async () => {
    const r = recorder((argv) => (argv[0] === 'qemu-img' && argv.includes('vpc') ? { code: 1, stderr: 'qemu-img: No space left on device\n' } : undefined));
    const err = await runCreateScript(r.run, steps()).then(() => { throw new Error('expected a refusal'); }, (e: DomusError) => e);
    expect(err).toBeInstanceOf(DomusError);
    expect(err.message).toMatch(/^wz-pv was not created: the vhd image \/var\/lib\/xen\/images\/wz-pv-2\.vhd could not be created\./);
    expect(err.message).toContain('Domus removed what it had made: /var/lib/xen/images/wz-pv-2.vhd, /var/lib/xen/images/wz-pv.img.');
    expect(err.detail).toContain('No space left on device');
    const rms = r.calls.filter((c) => c[0] === 'rm').map((c) => c[3]);
    expect(rms).toEqual(['/var/lib/xen/images/wz-pv-2.vhd', '/var/lib/xen/images/wz-pv.img', r.calls[0][4]]);
    expect(r.calls.some((c) => c[0] === 'ln')).toBe(false);
  });

  it('a disk path that appeared after the checks is not touched: the exclusive create fails, nothing of it is removed', async () => {
    const r = recorder((argv) => (argv[0] === 'sh' && argv[4] === '/var/lib/xen/images/wz-pv.img' ? { code: 1, stderr: 'sh: 1: cannot create /var/lib/xen/images/wz-pv.img: File exists\n' } : undefined));
    const err = await runCreateScript(r.run, steps()).then(() => { throw new Error('expected a refusal'); }, (e: DomusError) => e);
    expect(err.message).toMatch(/could not be created \(it may have appeared meanwhile/);
    expect(r.calls.filter((c) => c[0] === 'rm').map((c) => c[3])).toEqual([r.calls[0][4]]);
    expect(err.message).toContain('Nothing was left on the host.');
  });

  it('xl rejecting the config (recorded dry-run error) stops before any disk', async () => {
    const fx = labFixture('error-create-dry-run-syntax');
    const r = recorder((argv) => (argv[1] === 'create' && argv[2] === '-n' ? { code: 1, stderr: fx.stderr } : undefined));
    const err = await runCreateScript(r.run, steps()).then(() => { throw new Error('expected a refusal'); }, (e: DomusError) => e);
    expect(err.code).toBe('invalid_input');
    expect(r.calls.some((c) => c[0] === 'qemu-img')).toBe(false);
  });

  it('a config that exists by the time of ln is a conflict; disks made are removed', async () => {
    const r = recorder((argv) => (argv[0] === 'ln' ? { code: 1, stderr: "ln: failed to create hard link '/etc/xen/wz-pv.cfg': File exists\n" } : undefined));
    const err = await runCreateScript(r.run, steps()).then(() => { throw new Error('expected a refusal'); }, (e: DomusError) => e);
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('it exists now (Domus does not overwrite it)');
    expect(r.calls.filter((c) => c[0] === 'rm').map((c) => c[3])).not.toContain('/etc/xen/wz-pv.cfg');
  });

  it('a failed start (recorded missing-kernel error) removes the config and the disks', async () => {
    const fx = labFixture('error-create-missing-kernel');
    const r = recorder(
      (argv) => (argv[0] === 'xl' && argv[1] === 'create' && argv[2] !== '-n' ? { code: 1, stderr: fx.stderr } : undefined),
      (argv) => (argv[0] === 'xl' && argv[1] === 'domid' ? { code: 1 } : undefined),
    );
    const err = await runCreateScript(r.run, steps()).then(() => { throw new Error('expected a refusal'); }, (e: DomusError) => e);
    expect(err.message).toMatch(/^wz-pv was not created: the guest could not be started\./);
    expect(err.message).toContain('/etc/xen/wz-pv.cfg, /var/lib/xen/images/wz-pv-2.vhd, /var/lib/xen/images/wz-pv.img');
  });

  it('a config naming another guest is refused before anything runs', async () => {
    const r = recorder();
    const s = steps();
    await expect(runCreateScript(r.run, { ...s, configText: s.configText.replace('"wz-pv"', '"other"') })).rejects.toThrow(/names the guest "other"/);
    expect(r.calls).toEqual([]);
  });

  it('cancelling between disks rolls back', async () => {
    const ctl = new AbortController();
    const r = recorder((argv) => {
      if (argv[0] === 'qemu-img') ctl.abort();
      return undefined;
    });
    const err = await runCreateScript(r.run, steps(), { signal: ctl.signal }).then(() => { throw new Error('expected a refusal'); }, (e: DomusError) => e);
    expect(err.message).toMatch(/cancelled by the user/i);
    expect(r.calls.filter((c) => c[0] === 'rm').map((c) => c[3])).toContain('/var/lib/xen/images/wz-pv.img');
  });
});

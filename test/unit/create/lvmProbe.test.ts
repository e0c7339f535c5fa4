// A host without LVM is asked once per connection whether it has LVM's tools, and then never for
// its volume groups: before, each wizard step and each create ran `vgs`, and every create task
// logged "bash: vgs: command not found", exit code 127. A host with LVM is asked for its groups
// every time (their free space changes).
import { describe, expect, it } from 'vitest';
import { DomusError } from '../../../electron/api/errors';
import { LvmTools, readFacts } from '../../../electron/drivers/xl/create/facts';
import type { Run } from '../../../electron/drivers/xl/lifecycle';
import { labFixture } from '../../fixtures/lab';

/** A host: recorded `xl info` and bridges; `vgs` as the host has it (or not). */
function host(lvm: 'none' | 'ssh-none' | 'vg0') {
  const ran: string[] = [];
  const run: Run = async (argv) => {
    ran.push(argv.join(' '));
    if (argv[0] === 'xl') return { code: 0, stdout: labFixture('xl-info').stdout, stderr: '' };
    if (argv[0] === 'ip') return { code: 0, stdout: labFixture('ip-link-bridge').stdout, stderr: '' };
    if (argv[0] === 'vgs') {
      // This computer's dom0 (no shell): spawning a missing program fails; over SSH the shell says 127.
      if (lvm === 'none') throw new DomusError('not_found', 'vgs is not installed on this computer.', 'spawn vgs ENOENT');
      if (lvm === 'ssh-none') return { code: 127, stdout: '', stderr: 'bash: vgs: command not found\n' };
      return { code: 0, stdout: argv[1] === '--version' ? '  LVM version: 2.03.16(2)\n' : '  vg0|4096.00\n', stderr: '' };
    }
    throw new Error(`unexpected ${argv.join(' ')}`);
  };
  return { run, vgsRuns: () => ran.filter((c) => c.startsWith('vgs')) };
}

describe('LVM probe', () => {
  it.each(['ssh-none', 'none'] as const)('a host without LVM (%s) is probed once per connection and never asked for groups', async (kind) => {
    const lvm = new LvmTools();
    const h = host(kind);
    const connection = {};
    for (let i = 0; i < 3; i++) {
      const facts = await readFacts(h.run, [], await lvm.present(connection, h.run));
      expect(facts.volumeGroups).toEqual([]);
      expect(facts.bridges).toContain('xenbr0');
    }
    expect(h.vgsRuns()).toEqual(['vgs --version']);
    // A new connection (after a reconnect) asks again.
    await lvm.present({}, h.run);
    expect(h.vgsRuns()).toEqual(['vgs --version', 'vgs --version']);
  });

  it('a host with LVM is probed once and asked for its groups on every read', async () => {
    const lvm = new LvmTools();
    const h = host('vg0');
    const connection = {};
    for (let i = 0; i < 2; i++) {
      const facts = await readFacts(h.run, [], await lvm.present(connection, h.run));
      expect(facts.volumeGroups).toEqual([{ name: 'vg0', freeMiB: 4096 }]);
    }
    expect(h.vgsRuns().filter((c) => c === 'vgs --version')).toHaveLength(1);
    expect(h.vgsRuns().filter((c) => c.startsWith('vgs --noheadings'))).toHaveLength(2);
  });

  it('a probe that could not ask is asked again, not remembered', async () => {
    const lvm = new LvmTools();
    const connection = {};
    let calls = 0;
    const dropped: Run = async () => {
      calls++;
      throw new DomusError('connection_lost', 'The connection to the host was lost.');
    };
    await expect(lvm.present(connection, dropped)).rejects.toThrow('connection');
    await expect(lvm.present(connection, dropped)).rejects.toThrow('connection');
    expect(calls).toBe(2);
  });
});

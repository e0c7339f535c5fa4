// Configs Domus writes on the host: 0600 when they hold a display password, 0644 otherwise. The
// real write scripts run here against a temporary directory standing in for /etc/xen (only
// `xl create -n`, the syntax check, is answered "fine").
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCreateScript } from '../../../electron/drivers/xl/create/script';
import { writeGuestConfig } from '../../../electron/drivers/xl/cpuConfigEdit';
import { writeConfig, type Run } from '../../../electron/drivers/xl/lifecycle';
import type { TaskContext } from '../../../electron/tasks/taskLog';
import { LocalTransport } from '../../../electron/transport/local';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const WITH_PASSWORD = 'name = "g"\ntype = "hvm"\nmemory = 128\nvfb = [ "vnc=1,vncpasswd=hunter2x" ]\n';
const WITHOUT = 'name = "g"\ntype = "hvm"\nmemory = 128\nvfb = [ "vnc=1" ]\n';
const local = new LocalTransport();
const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);

/** Runs argv locally with /etc/xen mapped to dir; `xl create -n` says the config is fine. */
function hostIn(dir: string): Run {
  return (argv, opts) => {
    if (argv[0] === 'xl') return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    return local.exec(argv.map((a) => a.split('/etc/xen').join(dir)), opts);
  };
}

function etc(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'domus-etcxen-'));
  dirs.push(d);
  return d;
}

describe('config file modes', () => {
  it('a new guest config is 0600 with a VNC password and 0644 without', async () => {
    const d = etc();
    for (const [name, text, want] of [['pw', WITH_PASSWORD, '600'], ['plain', WITHOUT, '644']] as const) {
      const cfg = text.replace('"g"', `"${name}"`);
      await runCreateScript(hostIn(d), { name, configPath: `/etc/xen/${name}.cfg`, configText: cfg, disks: [], start: false });
      expect(mode(path.join(d, `${name}.cfg`)), name).toBe(want);
    }
  });

  it('the config editor writes 0600 when a password is added and 0644 when it is taken out', async () => {
    const d = etc();
    const f = path.join(d, 'g.cfg');
    writeFileSync(f, WITHOUT, { mode: 0o644 });
    await writeConfig(hostIn(d), '/etc/xen/g.cfg', WITH_PASSWORD, WITHOUT, { currentName: 'g', saveAnyway: true });
    expect(readFileSync(f, 'utf8')).toBe(WITH_PASSWORD);
    expect(mode(f)).toBe('600');
    await writeConfig(hostIn(d), '/etc/xen/g.cfg', WITHOUT, WITH_PASSWORD, { currentName: 'g', saveAnyway: true });
    expect(mode(f)).toBe('644');
    // The backup holds the password version: it is 0600 too.
    expect(readFileSync(`${f}.bak`, 'utf8')).toBe(WITH_PASSWORD);
    expect(mode(`${f}.bak`)).toBe('600');
  });

  it('CPU and PCI edits of a config with a password leave it 0600, the backup too', async () => {
    const d = etc();
    const f = path.join(d, 'g.cfg');
    writeFileSync(f, WITH_PASSWORD, { mode: 0o644 });
    const t = { exec: (transport, argv, opts) => transport.exec(argv, opts) } as TaskContext;
    const edited = `${WITH_PASSWORD}vcpus = 2\n`;
    await writeGuestConfig(t, local, f, WITH_PASSWORD, edited);
    expect(readFileSync(f, 'utf8')).toBe(edited);
    expect(mode(f)).toBe('600');
    expect(mode(`${f}.bak`)).toBe('600');
    await writeGuestConfig(t, local, f, edited, WITHOUT);
    expect(mode(f)).toBe('644');
  });
});

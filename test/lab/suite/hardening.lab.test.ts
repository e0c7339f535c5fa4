// Files Domus writes on a real Xen host: a guest config with a VNC password is 0600, one without
// is 0644 (stat on dom0). Every config here is named hh-* and removed afterwards; no domain is
// started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLabBackend, type LabBackend } from '../backend';
import { LabHost } from '../labHost';
import { kitAnswers } from '../wizardAnswers';

async function cleanup(lab: LabHost): Promise<void> {
  await lab.run(['sh', '-c', 'rm -f /etc/xen/hh-*.cfg /etc/xen/.hh-*.cfg.domus-*']);
}

describe('lab: hardening', () => {
  let lab: LabHost;
  let b: LabBackend;
  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup(lab);
    b = await connectLabBackend(lab, 'hh');
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    if (lab) await cleanup(lab);
    lab?.close();
  });

  it('lab: hardening — a new config is 0600 with a VNC password and 0644 without', async () => {
    for (const [name, vfb, mode] of [['hh-vnc', 'vfb = [ "vnc=1,vncpasswd=hhpw1" ]\n', '600'], ['hh-plain', '', '644']] as const) {
      const answers = kitAnswers(name);
      const pre = await b.backend['create.preview']({ hostId: b.hostId, answers });
      const res = await b.backend['create.create']({ hostId: b.hostId, answers, configText: pre.configText + vfb, start: false });
      expect(res.configPath).toBe(`/etc/xen/${name}.cfg`);
      expect((await lab.ok(['stat', '-c', '%a', res.configPath])).trim(), name).toBe(mode);
    }
  });
});

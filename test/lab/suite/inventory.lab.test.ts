// End to end in Chromium against the lab host: add it, trust its key, see it live.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import { createKitGuest, destroyGuest } from '../guests';
import { LabHost } from '../labHost';
import { submitAddLabHost } from '../ui';
import { imagePaths } from '../paths';
import { LIVE_IDLE_SECONDS, monitorArgv } from '../../../electron/drivers/xl/monitor';
import { connectLabBackend } from '../backend';
import { MonitorRates, MonitorStream, parseXentopBatch, xentopSamples } from '../../../electron/drivers/xl/parse';
import { commandLine } from '../../../electron/transport/argv';

describe('lab: inventory', () => {
  let lab: LabHost;
  let app: BrowserApp;
  beforeAll(async () => {
    lab = await LabHost.connect();
    app = await startBrowserApp();
  });
  afterAll(async () => {
    await app?.close();
    await destroyGuest(lab, 'kit-pv');
    await destroyGuest(lab, 'kit-pvnet');
    lab?.close();
  });

  it('lab: inventory — add the lab host, trust its key, and watch a guest and a config made in a shell come and go', async () => {
    const { page } = app;
    const img = imagePaths();
    const expectedFp = execFileSync('ssh-keygen', ['-lf', img.hostKeyPub], { encoding: 'utf8' }).split(' ')[1];

    await submitAddLabHost(page, lab);

    // Unknown key: the fingerprint exactly as OpenSSH prints it, then trust.
    const keyDialog = page.getByRole('dialog', { name: /Is this really/ });
    await keyDialog.waitFor({ state: 'visible', timeout: 120_000 });
    expect(await keyDialog.textContent()).toContain(expectedFp);
    await keyDialog.getByRole('button', { name: 'Trust and connect' }).click();

    const table = page.getByRole('table', { name: 'Guests' });
    await table.getByRole('row', { name: /Domain-0/ }).waitFor({ state: 'visible', timeout: 180_000 });
    // The first listing shows before the live streams are open; "connected" follows.
    await page.getByRole('navigation', { name: 'Hosts' }).getByText('connected', { exact: true }).waitFor({ timeout: 120_000 });

    // A guest created from a shell on the host appears by itself (xenstore watch), and goes.
    const t0 = Date.now();
    await createKitGuest(lab, 'pv.cfg');
    const created = Date.now();
    await table.getByRole('row', { name: /kit-pv/ }).waitFor({ state: 'visible', timeout: 15_000 });
    console.log(`kit-pv appeared ${Date.now() - t0} ms after xl create started (xl create took ${created - t0} ms)`);
    await destroyGuest(lab, 'kit-pv');
    await table.getByRole('row', { name: /kit-pv/ }).waitFor({ state: 'detached', timeout: 15_000 });

    // A config written in a shell (no domain, so no xenstore event) shows as a stopped guest
    // within a few seconds, and goes when the file does.
    const cfg = '/etc/xen/inv-shell.cfg';
    try {
      await lab.ok(['sh', '-c', `sed 's/^name *=.*/name = "inv-shell"/' /root/kit/pv.cfg > ${cfg}`]);
      await table.getByRole('row', { name: /inv-shell/ }).waitFor({ state: 'visible', timeout: 10_000 });
      await lab.ok(['rm', '-f', cfg]);
      await table.getByRole('row', { name: /inv-shell/ }).waitFor({ state: 'detached', timeout: 10_000 });
    } finally {
      await lab.run(['rm', '-f', cfg]);
    }
  });

  it('lab: inventory — the monitor script reads what xentop and the vif counters say', async () => {
    await createKitGuest(lab, 'pv-net.cfg');
    // The vif forwards once the guest's netfront has connected (the guest has booted that far).
    const vifUp = 'd=$(xl domid kit-pvnet); for i in $(seq 120); do [ "$(cat /sys/class/net/vif$d.0/operstate 2>/dev/null)" = up ] && exit 0; sleep 1; done; exit 1';
    await lab.ok(['sh', '-c', vifUp], { timeoutMs: 150_000 });
    // 20 KB the bridge floods to every port, the guest's vif among them: what the guest received.
    const broadcast = 'import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)\nfor _ in range(20): s.sendto(b"x" * 1000, ("10.0.2.255", 9))';
    await lab.ok(['python3', '-c', broadcast]);
    // Two monitor samples, then xentop's view and dom0's own vif counters, in one go.
    const out = await lab.ok(['sh', '-c', `${commandLine(monitorArgv(2))}; echo ===; xentop -b -i 2 -d 1; echo ===; cat /proc/net/dev`], { timeoutMs: 120_000 });
    const [monitorText, xentopText, netdev] = out.split('\n===\n');
    const rates = new MonitorRates();
    const blocks = new MonitorStream().push(`${monitorText}\n`).flatMap((i) => (i.kind === 'block' ? [i.block] : []));
    expect(blocks).toHaveLength(2);
    rates.push(blocks[0]);
    const ours = rates.push(blocks[1]);
    const theirs = xentopSamples(parseXentopBatch(xentopText)[1]);
    expect(ours.map((d) => d.name).sort()).toEqual(theirs.map((d) => d.name).sort());
    for (const d of ours) {
      const x = theirs.find((t) => t.name === d.name)!;
      expect(d.memKiB).toBe(x.memKiB);
      expect(d.maxMemKiB).toBe(x.maxMemKiB);
      expect(d.cpuPercent).not.toBeNull();
      expect(d.cpuPercent!).toBeGreaterThanOrEqual(0);
      // xentop ran a few seconds later and prints whole seconds and whole KiB.
      expect(x.cpuSeconds).toBeGreaterThanOrEqual(Math.floor(d.cpuSeconds) - 1);
      expect(x.netRxKiB).toBeGreaterThanOrEqual(Math.floor(d.netRxKiB));
      expect(x.netTxKiB).toBeGreaterThanOrEqual(Math.floor(d.netTxKiB));
    }
    // The guest's view of its NIC: what dom0's vif sent is what the guest received.
    const domid = blocks[1].domains.find((d) => d.name === 'kit-pvnet')!.domid;
    const vif = netdev.split('\n').find((l) => l.trim().startsWith(`vif${domid}.0:`))!;
    const v = vif.split(':')[1].trim().split(/\s+/).map(Number);
    const guest = ours.find((d) => d.name === 'kit-pvnet')!;
    expect(guest.netRxKiB).toBeGreaterThanOrEqual(20_000 / 1024);
    expect(v[8]).toBeGreaterThanOrEqual(guest.netRxKiB * 1024);
    expect(v[0]).toBeGreaterThanOrEqual(guest.netTxKiB * 1024);
    expect(guest.netTxKiB).toBeLessThan(guest.netRxKiB);
  });

  it('lab: inventory — live figures once a second while a window shows them, slower otherwise', async () => {
    const b = await connectLabBackend(lab, 'inv-rate');
    try {
      const sampleTimes = async () => (await b.backend['metrics.host']({ hostId: b.hostId })).pcpuT;
      const gaps = (t: number[]) => t.slice(1).map((x, i) => x - t[i]);
      const since = async (from: number) => (await sampleTimes()).filter((t) => t >= from);
      // Nobody watches a backend without windows: the slow rate.
      await new Promise((r) => setTimeout(r, 2000));
      const slowWindowMs = (2 * LIVE_IDLE_SECONDS + 4) * 1000;
      let from = Math.floor(Date.now() / 1000);
      await new Promise((r) => setTimeout(r, slowWindowMs));
      const idle = gaps(await since(from));
      expect(idle.length).toBeGreaterThanOrEqual(1);
      expect(Math.min(...idle)).toBeGreaterThanOrEqual(LIVE_IDLE_SECONDS - 1);
      // A window that shows the host's figures: a sample at once, then one a second.
      const { leaseMs } = await b.backend['hosts.watchLive']({ viewer: 'lab-window-1', hostIds: [b.hostId] });
      expect(leaseMs).toBeGreaterThan(10_000);
      from = Math.floor(Date.now() / 1000);
      await new Promise((r) => setTimeout(r, 8000));
      const watched = gaps(await since(from));
      expect(watched.length).toBeGreaterThanOrEqual(5);
      expect(Math.max(...watched)).toBeLessThanOrEqual(2);
      // The window is hidden: back to the slow rate.
      await b.backend['hosts.watchLive']({ viewer: 'lab-window-1', hostIds: [] });
      await new Promise((r) => setTimeout(r, 2000));
      from = Math.floor(Date.now() / 1000);
      await new Promise((r) => setTimeout(r, slowWindowMs));
      const after = gaps(await since(from));
      expect(after.length).toBeGreaterThanOrEqual(1);
      expect(Math.min(...after)).toBeGreaterThanOrEqual(LIVE_IDLE_SECONDS - 1);
    } finally {
      await b.close();
    }
  });
});

// Save images and a paused guest's shutdown against the real lab, through the real backend and the
// contract's validation: a kit guest saved with guests.save is listed by guests.saveImages (the
// list the guest page shows) with its name, size and time; guests.restore of that image brings the
// same domain back; shutting it down while paused is refused at once, naming resume and force off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPausedRefusal } from '../../../electron/api/lifecycle';
import { destroyGuest, domainExists, writeKitConfig } from '../guests';
import { LabHost } from '../labHost';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';
import { until } from '../../support/wait';

const NAME = 'hg-save';
const CFG = `/etc/xen/${NAME}.cfg`;
const SAVE = `/var/lib/xen/save/${NAME}.save`;

describe('lab: guest saves', () => {
  let lab: LabHost;
  let lb: LabBackend;
  let call: ReturnType<typeof labCalls>['call'];
  const cleanup = async () => {
    await destroyGuest(lab, NAME);
    await lab.run(['rm', '-f', CFG, SAVE]);
  };
  const guestOf = async () => (await lb.backend['guests.list']({ hostId: lb.hostId })).find((g) => g.name === NAME);

  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup();
    await writeKitConfig(lab, NAME);
    await lab.ok(['mkdir', '-p', '/var/lib/xen/save']);
    await lab.ok(['xl', 'create', CFG], { timeoutMs: 180_000 });
    lb = await connectLabBackend(lab, 'hg');
    ({ call } = labCalls(lb));
  }, 600_000);
  afterAll(async () => {
    await lb?.close();
    if (lab) await cleanup();
    lab?.close();
  });

  it('lab: guest saves — a saved guest is listed with size and time, and Restore brings it back; a paused one is refused shutdown at once', async () => {
    await until(`${NAME} running in the inventory`, async () => (await guestOf())?.domid != null, 120_000);
    const g = (await guestOf())!;
    const before = Date.now();
    await call('guests.save', { guestId: g.id, path: SAVE });
    await until(`${NAME} shut off`, async () => (await guestOf())?.domid === null, 120_000);

    // What the page lists for this guest: the image, with its name from inside, size and time.
    const mine = (await call('guests.saveImages', {})).filter((i) => i.guest === NAME);
    expect(mine).toHaveLength(1);
    expect(mine[0].path).toBe(SAVE);
    expect(mine[0].sizeBytes).toBe(Number(await lab.ok(['stat', '-c', '%s', SAVE])));
    expect(mine[0].sizeBytes).toBeGreaterThan(1_000_000);
    // The lab's clock and this machine's agree to within the save's own duration and a margin.
    expect(mine[0].savedAt).toBeGreaterThan(before - 120_000);
    expect(mine[0].savedAt).toBeLessThan(Date.now() + 120_000);

    await call('guests.restore', { path: mine[0].path });
    expect(await domainExists(lab, NAME)).toBe(true);
    await until(`${NAME} back in the inventory`, async () => (await guestOf())?.domid != null, 120_000);

    // Paused: the shutdown is refused at once, and nothing was asked of the guest.
    await lab.ok(['xl', 'pause', NAME]);
    const g2 = (await guestOf())!;
    const t0 = Date.now();
    const err = await call('guests.shutdown', { guestId: g2.id, timeoutSeconds: 60 }).catch((e: unknown) => e as { code: string; message: string; detail?: string });
    const tookMs = Date.now() - t0;
    expect(err).toMatchObject({ code: 'conflict', message: `${NAME} is paused, so it cannot answer a shutdown request. Resume it first, or force it off.` });
    expect(isPausedRefusal(err as { code: string; detail?: string })).toBe(true);
    // Before: about 60 s of waiting for an answer that could not come.
    expect(tookMs).toBeLessThan(20_000);
    expect(await lab.ok(['xl', 'list', NAME])).toMatch(/--p---/);
    console.log(`lab: guest saves — image ${mine[0].sizeBytes} bytes; paused shutdown refused in ${tookMs} ms`);
  }, 900_000);
});

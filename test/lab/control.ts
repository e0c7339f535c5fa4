// Bringing the lab up: shared by `npm run lab -- up` and the lab tests' global set-up.
import { ensureImage } from './image';
import { LabHost } from './labHost';
import { SERIAL_LOG, boot, running, stop, type BootOptions } from './vm';

export async function waitReady(timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    if (!running()) throw new Error(`QEMU exited during boot; see ${SERIAL_LOG()}`);
    try {
      const lab = await LabHost.connect({ attempts: 1 });
      try {
        const r = await lab.run(['xl', 'info'], { timeoutMs: 60_000 });
        if (r.code === 0 && /xen_version/.test(r.stdout)) return;
        last = r.stderr.trim();
      } finally {
        lab.close();
      }
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
  throw new Error(`The lab did not answer \`xl info\` within ${timeoutMs / 1000} s (last: ${last}); see ${SERIAL_LOG()}`);
}

/** Builds the image if needed, boots, waits for `xl info`. Says so if the lab already runs. */
export async function labUp(opts: BootOptions, log: (line: string) => void): Promise<'started' | 'already running'> {
  const st = running();
  if (st) {
    log(`The lab is already running (pid ${st.pid}, since ${st.startedAt}, port ${st.port}).`);
    return 'already running';
  }
  const img = await ensureImage(log);
  const t0 = Date.now();
  const state = await boot(img, opts);
  log(`QEMU started (pid ${state.pid}); waiting for dom0 to answer \`xl info\`…`);
  try {
    await waitReady(600_000);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`Booted in ${Math.round((Date.now() - t0) / 1000)} s.`);
  return 'started';
}

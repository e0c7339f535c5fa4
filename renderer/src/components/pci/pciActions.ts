// Giving picked devices to a guest, the same way from every page: live (xl pci-attach, one task per
// device) or in its config for the next start (pci=, one task per device). Stops at the first
// failure so the caller can show what was done and what was not.
import type { DomusClient } from '../../api/client';
import type { PciSelection } from './pickerModel';

type Caller = Pick<DomusClient, 'call'>;

export type GiveMode = 'live' | 'config';

/** Gives each selected device to the guest; returns the addresses done before any failure is thrown. */
export async function giveDevices(client: Caller, hostId: string, guest: string, selection: readonly PciSelection[], mode: GiveMode): Promise<string[]> {
  const done: string[] = [];
  for (const s of selection) {
    if (mode === 'live') await client.call('pci.attach', { hostId, bdf: s.address, guest, options: s.options });
    else await client.call('pci.configure', { hostId, bdf: s.address, guest, options: s.options, remove: false });
    done.push(s.address);
  }
  return done;
}

// Kit guests for lab tests: create from the kit's configs (with overrides), always destroyed by
// the test that made them.
import type { LabHost } from './labHost';

export const KIT = '/root/kit';

export async function createKitGuest(lab: LabHost, cfg: string, overrides: string[] = []): Promise<void> {
  await lab.ok(['xl', 'create', `${KIT}/${cfg}`, ...overrides], { timeoutMs: 180_000 });
}

export async function destroyGuest(lab: LabHost, name: string): Promise<void> {
  await lab.run(['xl', 'destroy', name], { timeoutMs: 120_000 });
}

export async function domainExists(lab: LabHost, name: string): Promise<boolean> {
  return (await lab.run(['xl', 'domid', name])).code === 0;
}

// Kit guests for lab tests: create from the kit's configs (with overrides), always destroyed by
// the test that made them.
import type { LabHost } from './labHost';

export const KIT = '/root/kit';

export async function createKitGuest(lab: LabHost, cfg: string, overrides: string[] = []): Promise<void> {
  await lab.ok(['xl', 'create', `${KIT}/${cfg}`, ...overrides], { timeoutMs: 180_000 });
}

/** A persistent guest's config, /etc/xen/<name>.cfg, from a kit config under the given name. */
export async function writeKitConfig(lab: LabHost, name: string, kitCfg = 'pv.cfg'): Promise<string> {
  const path = `/etc/xen/${name}.cfg`;
  await lab.script(`set -e; sed 's/^name *=.*/name    = "${name}"/' ${KIT}/${kitCfg} > ${path}`);
  return path;
}

/** Puts every CPU back in Pool-0 after destroying the guests of `pool` and the pool itself. */
export async function restorePools(lab: LabHost, pool: string): Promise<void> {
  await lab.script(
    `xl cpupool-list | grep -q '^${pool} ' && { for d in $(xl list -c | awk '$NF=="${pool}"{print $1}'); do xl destroy "$d"; done; xl cpupool-destroy ${pool}; }
     xl cpupool-list -c | grep -q '^Pool-0 .*1' || xl cpupool-cpu-add Pool-0 1; true`,
  );
}

export async function destroyGuest(lab: LabHost, name: string): Promise<void> {
  await lab.run(['xl', 'destroy', name], { timeoutMs: 120_000 });
}

export async function domainExists(lab: LabHost, name: string): Promise<boolean> {
  return (await lab.run(['xl', 'domid', name])).code === 0;
}

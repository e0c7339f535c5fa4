import { writeFileSync } from 'node:fs';
import { LabHost } from './labHost';
import { PCI_PROBE_SCRIPT } from '../../electron/drivers/xl/pciSafety';
const E = '0000:00:05.0';
const lab = await LabHost.connect();
const xenVersion = (await lab.ok(['xl', 'info'])).match(/^xen_version\s*:\s*(\S+)/m)?.[1] ?? 'unknown';
const save = async (name: string, argv: string[]) => {
  const r = await lab.run(argv, { timeoutMs: 120_000 });
  writeFileSync(`test/fixtures/lab/${name}.json`, JSON.stringify({ command: argv.join(' '), argv, xenVersion, recordedAt: new Date().toISOString(), exitCode: r.code, stdout: r.stdout, stderr: r.stderr }, null, 2) + '\n');
  console.log(name, r.code, r.stderr.slice(0, 400));
};
try {
  await save('error-pci-create-not-assignable', ['xl', 'create', '/root/kit/pv-pci.cfg', 'name="pci-rec"']);
  await lab.run(['xl', 'destroy', 'pci-rec']);
  console.log(await lab.run(['xl', 'pci-assignable-add', E]));
  console.log(await lab.run(['xl', 'pci-assignable-list']));
  await lab.ok(['xl', 'create', '/root/kit/pv-pci.cfg', 'name="pci-rec"'], { timeoutMs: 180_000 });
  await lab.ok(['xl', 'create', '/root/kit/pv-hotplug.cfg', 'name="pci-rechot"'], { timeoutMs: 180_000 });
  await lab.ok(['sh', '-c', `sed 's/kit-pvpci/pci-reccfg/; s/^pci .*/pci = [ "0000:00:05.0,permissive=1,seize=1" ]/' /root/kit/pv-pci.cfg > /etc/xen/pci-reccfg.cfg`]);
  await save('pci-probe-assigned', ['sh', '-c', PCI_PROBE_SCRIPT]);
  await save('error-pci-detach-not-attached', ['xl', 'pci-detach', 'pci-rechot', E]);
  await save('error-pci-attach-not-assignable', ['xl', 'pci-attach', 'pci-rechot', '0000:00:03.0']);
} finally {
  await lab.run(['xl', 'destroy', 'pci-rec'], { timeoutMs: 120_000 });
  await lab.run(['xl', 'destroy', 'pci-rechot'], { timeoutMs: 120_000 });
  await lab.run(['rm', '-f', '/etc/xen/pci-reccfg.cfg']);
  await lab.run(['xl', 'pci-assignable-remove', '-r', E]);
  console.log((await lab.run(['readlink', `/sys/bus/pci/devices/${E}/driver`])).stdout);
  lab.close();
}

// Guest config edits touch only pci= and passthrough=; tested on the kit's real configs (as cat
// printed them on the lab) so comments and layout are the ones xl users write.
import { describe, expect, it } from 'vitest';
import { pciEntries, setPassthrough, setPciEntry } from '../../../electron/drivers/xl/pciConfigEdit';

// /root/kit/pv-pci.cfg as `cat` printed it on the lab.
const PV_PCI = `# Kit PV guest with the lab's spare e1000 (0000:00:05.0) passed through at start.
# Needs the lab booted with its IOMMU (the default) and the device made assignable first.
name    = "kit-pvpci"
type    = "pv"
kernel  = "/root/kit/vmlinuz"
ramdisk = "/root/kit/initrd.gz"
extra   = "console=hvc0 rdinit=/init loglevel=4"
memory  = 128
vcpus   = 1
pci     = [ '0000:00:05.0' ]
on_poweroff = "destroy"
on_reboot   = "restart"
on_crash    = "destroy"
`;

describe('pci config edit', () => {
  it('replaces the entry of the same device, keeping every other line', () => {
    const out = setPciEntry(PV_PCI, '0000:00:05.0', '0000:00:05.0,permissive=1');
    expect(pciEntries(out)).toEqual(['0000:00:05.0,permissive=1']);
    expect(out.split('\n').filter((l) => !l.startsWith('pci'))).toEqual(PV_PCI.split('\n').filter((l) => !l.startsWith('pci')));
  });

  it('removes the last entry together with its line, and appends a new pci= when there is none', () => {
    const none = setPciEntry(PV_PCI, '0000:00:05.0', null);
    expect(none).not.toMatch(/^pci/m);
    expect(none.split('\n')).toHaveLength(PV_PCI.split('\n').length - 1);
    expect(setPciEntry(none, '0000:00:05.0', '0000:00:05.0,seize=1')).toBe(`${none}pci = [ '0000:00:05.0,seize=1' ]\n`);
  });

  it('reads a multi-line pci list and keeps the other devices', () => {
    const multi = `name = "x"\npci = [\n  "0000:00:05.0",\n  "0000:00:1f.3,permissive=1" # smbus\n]\nmemory = 64\n`;
    const out = setPciEntry(multi, '0000:00:05.0', null);
    expect(out).toBe(`name = "x"\npci = [ '0000:00:1f.3,permissive=1' ]\nmemory = 64\n`);
  });

  it('sets passthrough, replacing an existing line', () => {
    expect(setPassthrough('name = "a"', 'enabled')).toBe('name = "a"\npassthrough = "enabled"\n');
    expect(setPassthrough('passthrough = "disabled"\nname = "a"\n', 'enabled')).toBe('passthrough = "enabled"\nname = "a"\n');
  });
});

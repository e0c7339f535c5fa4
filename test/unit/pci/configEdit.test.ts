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

describe('pci config edit on lists whose items carry comments', () => {
  const commented = `name = "x"\npci = [ '0000:00:05.0', # was '0000:00:06.0'\n  # '0000:00:07.0',\n  '0000:00:1f.3,permissive=1',\n]\nmemory = 64\n`;

  it('reads only the live devices, never one in a comment', () => {
    expect(pciEntries(commented)).toEqual(['0000:00:05.0', '0000:00:1f.3,permissive=1']);
  });

  it('removing or adding one device never revives a commented-out one', () => {
    expect(pciEntries(setPciEntry(commented, '0000:00:05.0', null))).toEqual(['0000:00:1f.3,permissive=1']);
    expect(pciEntries(setPciEntry(commented, '0000:00:08.0', '0000:00:08.0'))).toEqual(['0000:00:05.0', '0000:00:1f.3,permissive=1', '0000:00:08.0']);
    expect(setPciEntry(commented, '0000:00:05.0', null)).toMatch(/\nmemory = 64\n$/);
  });

  it('writes item text with $& and $\' as it is', () => {
    const out = setPciEntry(commented, '0000:00:08.0', "0000:00:08.0,msitranslate=1,x=$&$'$`");
    expect(pciEntries(out)).toContain("0000:00:08.0,msitranslate=1,x=$&$'$`");
    expect(out.startsWith('name = "x"\n')).toBe(true);
  });

  it('refuses a config xl could not read, changing nothing', () => {
    expect(() => setPciEntry('pci = [ "0000:00:05.0"\n', '0000:00:05.0', null)).toThrow(/not valid xl.cfg/);
  });
});

// "This computer": no SSH link may be at stake, but the desktop Domus is shown on uses dom0's
// display and input devices. The lab's recorded probe plus the desktop facts of such a machine.
import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { pciArgv } from '../../../electron/drivers/xl/pci';
import { DESKTOP_PROBE_SCRIPT, dom0Needs, parseDesktopProbe, parsePciProbe, type DesktopProbe } from '../../../electron/drivers/xl/pciSafety';
import { dom0NeedSentence } from '../../../electron/hosts/handlers/pciHandlers';

const probe = () => parsePciProbe(labFixture('pci-probe').stdout);

describe('what the desktop of this computer needs', () => {
  it('an SSH host knows nothing of a desktop: the e1000 stays free', () => {
    expect(dom0Needs(probe()).has('0000:00:05.0')).toBe(false);
  });

  it('the display card and the controller under a keyboard and a mouse are needed; the bridge above inherits it', () => {
    // A USB controller behind a bridge (the e1000's slot stands in for it), with a keyboard and a mouse on it.
    const desktop: DesktopProbe = {
      displays: [{ card: 'card0', path: ['0000:00:01.0'] }],
      inputs: [
        { name: 'USB Keyboard', kind: 'keyboard', path: ['0000:00:1c.0', '0000:00:05.0'] },
        { name: 'USB Mouse', kind: 'pointer', path: ['0000:00:1c.0', '0000:00:05.0'] },
      ],
    };
    const needs = dom0Needs({ ...probe(), desktop });
    expect(needs.get('0000:00:01.0')).toContainEqual({ kind: 'desktop', what: 'display card0' });
    expect(needs.get('0000:00:05.0')).toEqual([
      { kind: 'desktop', what: 'keyboard "USB Keyboard"' },
      { kind: 'desktop', what: 'pointer "USB Mouse"' },
    ]);
    expect(needs.get('0000:00:1c.0')?.[0]).toEqual({ kind: 'desktop', what: 'keyboard "USB Keyboard"', via: '0000:00:05.0' });
    expect(dom0NeedSentence({ bdf: '0000:00:05.0', dom0Needs: needs.get('0000:00:05.0')! })).toBe(
      'dom0 needs 0000:00:05.0: taking it away stops this computer\'s desktop, where Domus is shown (keyboard "USB Keyboard"; pointer "USB Mouse").',
    );
  });
});

describe('the desktop probe (recorded on the lab dom0)', () => {
  it('was recorded with the script Domus runs', () => {
    expect(labFixture('desktop-probe').argv).toEqual(pciArgv.probe(DESKTOP_PROBE_SCRIPT));
  });

  it('finds the DRM card on the VGA device; PS/2 keyboard and mouse, the power button and the speaker are on no PCI device', () => {
    expect(parseDesktopProbe(labFixture('desktop-probe').stdout)).toEqual({ displays: [{ card: 'card0', path: ['0000:00:01.0'] }], inputs: [] });
  });

  it('with it, the lab\'s VGA device is the desktop\'s as well as the boot console\'s', () => {
    const needs = dom0Needs({ ...probe(), desktop: parseDesktopProbe(labFixture('desktop-probe').stdout) });
    expect(needs.get('0000:00:01.0')).toEqual([
      { kind: 'console', what: 'the console display (boot VGA)' },
      { kind: 'desktop', what: 'display card0' },
    ]);
    expect(needs.has('0000:00:05.0')).toBe(false);
  });
});

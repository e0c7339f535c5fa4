// Sizes read in the unit that fits: a small kernel or initrd in the host file browser is "512 KiB",
// not "0 MiB"; images stay in MiB / GiB as before.
import i18n from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatByteSize } from '../../../renderer/src/format';
import { initI18n } from '../../../renderer/src/i18n';

beforeAll(() => {
  initI18n('en');
});

describe('byte sizes', () => {
  const en = (b: number) => formatByteSize(i18n.t, 'en', b);
  it('picks B, KiB, MiB or GiB', () => {
    expect(en(0)).toBe('0 B');
    expect(en(900)).toBe('900 B');
    expect(en(524_288)).toBe('512 KiB');
    expect(en(1536)).toBe('1.5 KiB');
    expect(en(3.5 * 1048576)).toBe('3.5 MiB');
    expect(en(8 * 1073741824)).toBe('8 GiB');
    expect(en(3 * 1099511627776)).toBe('3,072 GiB');
  });
  it('in German, with its decimal comma', async () => {
    await i18n.changeLanguage('de');
    try {
      expect(formatByteSize(i18n.t, 'de', 1536)).toBe('1,5 KiB');
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});

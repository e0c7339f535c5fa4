// The columns every PCI table starts with (host page, guest tab, picker): address, class, vendor,
// device. Header and cells together, so the three tables cannot drift apart.
import { Td, Th } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';
import type { PciDevice } from '../../../../electron/api/pci';

export function PciIdentityHeads() {
  const { t } = useTranslation();
  return (
    <>
      <Th>{t('pci.col.address')}</Th>
      <Th>{t('pci.col.class')}</Th>
      <Th>{t('pci.col.vendor')}</Th>
      <Th>{t('pci.col.device')}</Th>
    </>
  );
}

/**
 * The vendor and device as lspci names them, or their ids where pci.ids has no name (QEMU's VGA,
 * 1234:1111): "1234" and "1234:1111" tell an admin more than an empty cell or a placeholder.
 */
export function pciNames(d: PciDevice): { vendor: string; device: string } {
  const ids = `${d.vendorId ?? '????'}:${d.deviceId ?? '????'}`;
  return { vendor: d.vendorName || (d.vendorId ?? ''), device: d.deviceName || ids };
}

/** `device` may be missing: a guest can list an address the host no longer shows. */
export function PciIdentityCells({ bdf, device }: { bdf: string; device: PciDevice | undefined }) {
  const { t } = useTranslation();
  const names = device ? pciNames(device) : null;
  return (
    <>
      <Td dataLabel={t('pci.col.address')}>
        <code>{bdf}</code>
      </Td>
      <Td dataLabel={t('pci.col.class')}>{device?.className ?? ''}</Td>
      <Td dataLabel={t('pci.col.vendor')}>{names?.vendor ?? ''}</Td>
      <Td dataLabel={t('pci.col.device')}>{names?.device ?? ''}</Td>
    </>
  );
}

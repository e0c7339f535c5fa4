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

/** `device` may be missing: a guest can list an address the host no longer shows. */
export function PciIdentityCells({ bdf, device }: { bdf: string; device: PciDevice | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      <Td dataLabel={t('pci.col.address')}>
        <code>{bdf}</code>
      </Td>
      <Td dataLabel={t('pci.col.class')}>{device?.className ?? ''}</Td>
      <Td dataLabel={t('pci.col.vendor')}>{device?.vendorName ?? ''}</Td>
      <Td dataLabel={t('pci.col.device')}>{device?.deviceName ?? ''}</Td>
    </>
  );
}

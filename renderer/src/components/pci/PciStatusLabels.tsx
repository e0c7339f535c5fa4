// A device's status as labels: needed by dom0, assignable, which guests have it (running or in
// their config). Shown on the host's PCI page and in the picker.
import { Label, LabelGroup } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import type { PciDevice } from '../../../../electron/api/pci';

export function PciStatusLabels({ d }: { d: PciDevice }) {
  const { t } = useTranslation();
  return (
    <LabelGroup numLabels={5}>
      {d.dom0Needs.length > 0 && (
        <Label color="red" aria-label={t('pci.status.neededAria', { bdf: d.bdf })}>
          {t('pci.status.needed')}
        </Label>
      )}
      {d.assignable && <Label color="blue">{t('pci.status.assignable')}</Label>}
      {d.runningIn.map((g) => (
        <Label key={`r-${g}`} color="green">
          {t('pci.status.runningIn', { guest: g })}
        </Label>
      ))}
      {d.configuredIn.map((c) => (
        <Label key={`c-${c.path}`} color="grey">
          {t('pci.status.configuredIn', { guest: c.guest })}
        </Label>
      ))}
    </LabelGroup>
  );
}

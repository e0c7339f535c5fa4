// The host view "PCI devices": every device with its names, dom0 driver, functions, whether it is
// assignable, which guest has it (running / configured) and what dom0 needs it for. Actions live in
// PciDeviceModal; where the host cannot pass devices through, the view says why and offers none.
import { Button, EmptyState, EmptyStateBody } from '@patternfly/react-core';
import { Spinner } from '../Spinner';
import { Alert } from '../Alert';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../api/context';
import type { ApiClientError } from '../../api/client';
import { ErrorAlert } from '../ErrorAlert';
import { PciDeviceModal } from './PciDeviceModal';
import { PciIdentityCells, PciIdentityHeads } from './PciIdentityColumns';
import { PciStatusLabels } from './PciStatusLabels';
import { usePciInventory } from './usePciInventory';

export function PciView({ hostId, connected }: { hostId: string; connected: boolean }) {
  const { t } = useTranslation();
  const { inv, error, loading, reload } = usePciInventory(hostId, connected);
  const [open, setOpen] = useState<string | null>(null);
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [actError, setActError] = useState<ApiClientError | null>(null);
  const giveBack = async (bdf: string) => {
    setBusy(true);
    setActError(null);
    try {
      await client.call('pci.giveBack', { hostId, bdf });
    } catch (e) {
      setActError(e as ApiClientError);
    } finally {
      setBusy(false);
      void reload();
    }
  };
  if (!connected) {
    return (
      <EmptyState titleText={t('pci.notConnected')} headingLevel="h2">
        <EmptyStateBody>{t('pci.notConnectedBody')}</EmptyStateBody>
      </EmptyState>
    );
  }
  if (!inv) return error ? <ErrorAlert error={error} /> : <Spinner aria-label={t('pci.loading')} />;
  const device = inv.devices.find((d) => d.bdf === open) ?? null;
  return (
    <div className="domus-pci">
      {error && <ErrorAlert error={error} />}
      {actError && <ErrorAlert error={actError} onClose={() => setActError(null)} />}
      {!inv.availability.available && (
        <Alert variant="warning" isInline title={t('pci.unavailable.title')} aria-label={t('pci.unavailable.title')}>
          {inv.availability.reason}
        </Alert>
      )}
      {inv.warnings.map((w) => (
        <Alert key={w.slot} variant="warning" isInline title={t('pci.multifunction.title', { slot: w.slot })}>
          {t('pci.multifunction.body', { assigned: w.assigned.join(', '), left: w.left.join(', ') })}
        </Alert>
      ))}
      <Button variant="secondary" onClick={() => void reload()} isLoading={loading} aria-label={t('pci.reload')}>
        {t('pci.reload')}
      </Button>
      <Table variant="compact" role="table" aria-label={t('pci.table')}>
        <Thead>
          <Tr>
            <PciIdentityHeads />
            <Th>{t('pci.col.driver')}</Th>
            <Th>{t('pci.col.functions')}</Th>
            <Th>{t('pci.col.status')}</Th>
            <Th screenReaderText={t('pci.col.actions')} />
          </Tr>
        </Thead>
        <Tbody>
          {inv.devices.map((d) => (
            <Tr key={d.bdf} aria-label={d.bdf}>
              <PciIdentityCells bdf={d.bdf} device={d} />
              <Td dataLabel={t('pci.col.driver')}>{d.driver ?? t('pci.none')}</Td>
              <Td dataLabel={t('pci.col.functions')}>{d.functions.length ? d.functions.join(', ') : t('pci.none')}</Td>
              <Td dataLabel={t('pci.col.status')}>
                <PciStatusLabels d={d} />
              </Td>
              <Td>
                {inv.availability.available && !d.isBridge && (
                  <Button variant="link" onClick={() => setOpen(d.bdf)} aria-label={t('pci.manageAria', { bdf: d.bdf })}>
                    {t('pci.manage')}
                  </Button>
                )}
                {/* Without an IOMMU nothing is offered but repair: an assignable-add that failed to
                    quarantine still leaves the device bound to pciback, taken from dom0. */}
                {!inv.availability.available && d.assignable && (
                  <Button variant="link" isDisabled={busy} onClick={() => void giveBack(d.bdf)} aria-label={t('pci.giveBackAria', { bdf: d.bdf })}>
                    {t('pci.modal.giveBack')}
                  </Button>
                )}
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {device && (
        <PciDeviceModal hostId={hostId} inv={inv} device={device} onClose={() => setOpen(null)} onChanged={() => void reload()} />
      )}
    </div>
  );
}

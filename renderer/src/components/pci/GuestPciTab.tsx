// The guest page's "PCI devices" tab: what the guest has now (xl pci-list, detach live, attach live
// with the picker — only when it was started with passthrough enabled or with devices, otherwise
// the tab says so and offers passthrough="enabled" for its next start) and what its config gives it
// at start (pci=, add with the picker, remove).
import { Button, EmptyState, EmptyStateBody, ModalBody, ModalFooter, ModalHeader, Title } from '@patternfly/react-core';
import { Spinner } from '../Spinner';
import { Modal } from '../Modal';
import { Alert } from '../Alert';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guest } from '../../../../electron/api/guests';
import type { PciInventory } from '../../../../electron/api/pci';
import { useClient } from '../../api/context';
import type { ApiClientError } from '../../api/client';
import { ErrorAlert } from '../ErrorAlert';
import { giveDevices } from './pciActions';
import { PciIdentityCells, PciIdentityHeads } from './PciIdentityColumns';
import { PciSelectionList } from './PciPicker';
import { selectionUsable, type PciSelection } from './pickerModel';
import { usePciInventory } from './usePciInventory';

/** The devices of one list (running or configured) with their names and one action each. */
function DeviceTable({ inv, bdfs, label, action }: { inv: PciInventory; bdfs: string[]; label: string; action(bdf: string): ReactNode }) {
  const { t } = useTranslation();
  if (!bdfs.length) return <p>{t('pci.guest.noDevices')}</p>;
  return (
    <Table variant="compact" role="table" aria-label={label}>
      <Thead>
        <Tr>
          <PciIdentityHeads />
          <Th screenReaderText={t('pci.col.actions')} />
        </Tr>
      </Thead>
      <Tbody>
        {bdfs.map((bdf) => {
          const d = inv.devices.find((x) => x.bdf === bdf);
          return (
            <Tr key={bdf} aria-label={bdf}>
              <PciIdentityCells bdf={bdf} device={d} />
              <Td>{action(bdf)}</Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
}

export function GuestPciTab({ hostId, guest, connected }: { hostId: string; guest: Guest; connected: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  // Started, stopped or restarted elsewhere (or by an action here): what it has now changed, so the
  // hook reads the inventory again when this key changes.
  const { inv, error: loadError, loading, reload } = usePciInventory(hostId, connected, `${guest.state}|${guest.domid}|${guest.pci.join(' ')}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [livePick, setLivePick] = useState<PciSelection[]>([]);
  const [cfgPick, setCfgPick] = useState<PciSelection[]>([]);
  const [confirmDetach, setConfirmDetach] = useState<string | null>(null);

  if (!connected) {
    return (
      <EmptyState titleText={t('pci.notConnected')} headingLevel="h2">
        <EmptyStateBody>{t('pci.notConnectedBody')}</EmptyStateBody>
      </EmptyState>
    );
  }
  if (!inv) return loadError ? <ErrorAlert error={loadError} /> : <Spinner aria-label={t('pci.loading')} />;

  const name = guest.name;
  const g = inv.guests.find((x) => x.name === name);
  const running = g?.running ?? false;
  // One probe per action: a live attach/detach that succeeded changes the guest's devices, and so
  // the inventory key, which reloads; anything else (config changes, failures) reloads here.
  const act = async (what: string, fn: () => Promise<unknown>, after?: () => void, live = false) => {
    setBusy(true);
    setError(null);
    setDone(null);
    let keyChanges = false;
    try {
      await fn();
      setDone(what);
      after?.();
      keyChanges = live;
    } catch (e) {
      setError(e as ApiClientError);
    } finally {
      setBusy(false);
      if (!keyChanges) void reload();
    }
  };
  const enableOffer = g?.configPath && g.configPassthrough !== 'enabled' && (
    <Button variant="secondary" isDisabled={busy} onClick={() => void act(t('pci.done.enabled'), () => client.call('pci.enablePassthrough', { hostId, guest: name }))}>
      {t('pci.modal.enablePassthrough')}
    </Button>
  );

  return (
    <div className="domus-pci-guest">
      <Button variant="secondary" onClick={() => void reload()} isLoading={loading} aria-label={t('pci.reload')}>
        {t('pci.reload')}
      </Button>
      {loadError && <ErrorAlert error={loadError} />}
      {error && <ErrorAlert error={error} onClose={() => setError(null)} />}
      {done && <Alert variant="success" isInline title={done} />}
      {!inv.availability.available && (
        <Alert variant="warning" isInline title={t('pci.unavailable.title')} aria-label={t('pci.unavailable.title')}>
          {inv.availability.reason}
        </Alert>
      )}

      {running && g && (
        <section aria-label={t('pci.guest.running')}>
          <Title headingLevel="h3">{t('pci.guest.running')}</Title>
          <DeviceTable
            inv={inv}
            bdfs={g.devices}
            label={t('pci.guest.runningTable', { guest: name })}
            action={(bdf) => (
              <Button variant="secondary" isDisabled={busy} aria-label={t('pci.guest.detachAria', { bdf, guest: name })} onClick={() => setConfirmDetach(bdf)}>
                {t('pci.guest.detach')}
              </Button>
            )}
          />
          {g.liveAttach ? (
            inv.availability.available && (
              <>
                <Title headingLevel="h4">{t('pci.guest.attachTitle')}</Title>
                <PciSelectionList inv={inv} value={livePick} onChange={setLivePick} exclude={g.devices} guest={name} isDisabled={busy} />
                <Button
                  isDisabled={busy || !livePick.length || !selectionUsable(inv, livePick, name)}
                  onClick={() => void act(t('pci.done.attached'), () => giveDevices(client, hostId, name, livePick, 'live'), () => setLivePick([]), true)}
                >
                  {t('pci.guest.attach')}
                </Button>
              </>
            )
          ) : (
            <Alert variant="info" isInline title={t('pci.guest.noLiveTitle')} aria-label={t('pci.guest.noLiveTitle')}>
              <p>{t('pci.guest.noLive', { guest: name })}</p>
              {g.configPassthrough === 'enabled' ? <p>{t('pci.guest.enabledNextStart')}</p> : enableOffer}
            </Alert>
          )}
        </section>
      )}

      <section aria-label={t('pci.guest.config')}>
        <Title headingLevel="h3">{t('pci.guest.config')}</Title>
        {!g?.configPath ? (
          <p>{t('pci.guest.noConfig', { guest: name })}</p>
        ) : (
          <>
            <p>
              {t('pci.guest.configFile', { path: g.configPath })}{' '}
              {g.configPassthrough ? t('pci.guest.passthroughIs', { mode: g.configPassthrough }) : t('pci.guest.passthroughUnset')}
            </p>
            <DeviceTable
              inv={inv}
              bdfs={g.configDevices}
              label={t('pci.guest.configTable', { guest: name })}
              action={(bdf) => (
                <Button
                  variant="secondary"
                  isDisabled={busy}
                  aria-label={t('pci.guest.removeAria', { bdf, guest: name })}
                  onClick={() => void act(t('pci.done.unconfigured'), () => client.call('pci.configure', { hostId, bdf, guest: name, options: {}, remove: true }))}
                >
                  {t('pci.guest.remove')}
                </Button>
              )}
            />
            {!running && !g.configDevices.length && g.configPassthrough !== 'enabled' && inv.availability.available && (
              <Alert variant="info" isInline isPlain title={t('pci.guest.liveHint')}>
                {enableOffer}
              </Alert>
            )}
            {inv.availability.available && (
              <>
                <Title headingLevel="h4">{t('pci.guest.addTitle')}</Title>
                <PciSelectionList inv={inv} value={cfgPick} onChange={setCfgPick} exclude={g.configDevices} guest={name} isDisabled={busy} />
                <Button
                  isDisabled={busy || !cfgPick.length || !selectionUsable(inv, cfgPick, name)}
                  onClick={() => void act(t('pci.done.configured'), () => giveDevices(client, hostId, name, cfgPick, 'config'), () => setCfgPick([]))}
                >
                  {t('pci.guest.add')}
                </Button>
              </>
            )}
          </>
        )}
      </section>

      {confirmDetach && (
        <Modal isOpen variant="small" onClose={() => setConfirmDetach(null)} aria-label={t('pci.guest.confirmTitle', { bdf: confirmDetach, guest: name })}>
          <ModalHeader title={t('pci.guest.confirmTitle', { bdf: confirmDetach, guest: name })} />
          <ModalBody>{t('pci.guest.confirmBody', { bdf: confirmDetach, guest: name })}</ModalBody>
          <ModalFooter>
            <Button
              variant="danger"
              onClick={() => {
                const bdf = confirmDetach;
                setConfirmDetach(null);
                void act(t('pci.done.detached'), () => client.call('pci.detach', { hostId, bdf, guest: name }), undefined, true);
              }}
            >
              {t('pci.guest.confirmDetach', { bdf: confirmDetach })}
            </Button>
            <Button variant="link" onClick={() => setConfirmDetach(null)}>
              {t('pci.guest.cancel')}
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </div>
  );
}

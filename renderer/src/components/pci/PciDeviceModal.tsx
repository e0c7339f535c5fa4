// One device's actions: make assignable (a device dom0 needs asks for its address after naming
// what stops working), give back, the boot-time preview, live attach/detach and the guest config's
// pci= with its options (seize with its warning). Giving the device to a guest uses the picker's
// pieces (options, selection rules, giveDevices), so there is one implementation of it.
import { Button, Form, FormGroup, FormSelect, FormSelectOption, ModalBody, ModalHeader, TextInput } from '@patternfly/react-core';
import { Modal } from '../Modal';
import { Alert } from '../Alert';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PciDevice, PciInventory, PciOptions, PciPersistence } from '../../../../electron/api/pci';
import { useClient } from '../../api/context';
import type { ApiClientError } from '../../api/client';
import { ErrorAlert } from '../ErrorAlert';
import { giveDevices } from './pciActions';
import { pciNames } from './PciIdentityColumns';
import { PciOptionsFields, PciSelectionIssues } from './PciPicker';
import { cleanOptions, selectionIssues, selectionUsable, type PciSelection } from './pickerModel';

interface Props {
  hostId: string;
  inv: PciInventory;
  device: PciDevice;
  onClose(): void;
  onChanged(): void;
}

export function PciDeviceModal({ hostId, inv, device: d, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [preview, setPreview] = useState<PciPersistence | null>(null);
  const [opts, setOpts] = useState<PciOptions>({});
  const running = inv.guests.filter((g) => g.running);
  const withConfig = inv.guests.filter((g) => g.configPath);
  const [liveGuest, setLiveGuest] = useState(running[0]?.name ?? '');
  const [cfgGuest, setCfgGuest] = useState(withConfig[0]?.name ?? '');
  const live = running.find((g) => g.name === liveGuest);
  const needed = d.dom0Needs.length > 0;
  // This device as a one-entry picker selection: the same rules and calls as the picker's.
  const selection: PciSelection[] = [{ address: d.bdf, options: opts }];
  const liveIssues = selectionIssues(inv, selection, liveGuest);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await fn();
      setDone(what);
      onChanged();
    } catch (e) {
      setError(e as ApiClientError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal isOpen onClose={onClose} variant="medium" aria-label={t('pci.modal.title', { bdf: d.bdf })}>
      <ModalHeader title={t('pci.modal.title', { bdf: d.bdf })} description={d.vendorName && d.deviceName ? `${d.vendorName} ${d.deviceName}` : `${d.className} ${pciNames(d).device}`} />
      <ModalBody>
        {error && <ErrorAlert error={error} onClose={() => setError(null)} />}
        {done && <Alert variant="success" isInline title={done} />}
        {needed && (
          <Alert variant="danger" isInline title={t('pci.modal.neededTitle')}>
            <ul>
              {d.dom0Needs.map((n) => (
                <li key={n.kind + n.what}>{t(`pci.need.${n.kind}`, { what: n.what })}</li>
              ))}
            </ul>
          </Alert>
        )}
        <Form>
          <FormGroup label={t('pci.modal.dom0')}>
            {!d.assignable ? (
              <>
                {needed && (
                  <TextInput
                    aria-label={t('pci.modal.typeAddress')}
                    placeholder={d.bdf}
                    value={typed}
                    onChange={(_e, v) => setTyped(v)}
                  />
                )}
                <Button
                  variant={needed ? 'danger' : 'primary'}
                  isDisabled={busy || (needed && typed !== d.bdf)}
                  onClick={() => void act(t('pci.done.assignable'), () => client.call('pci.makeAssignable', { hostId, bdf: d.bdf, ...(needed ? { confirm: typed } : {}) }))}
                >
                  {t('pci.modal.makeAssignable')}
                </Button>
              </>
            ) : (
              <>
                {d.configuredIn.length > 0 && (
                  <Alert
                    variant="warning"
                    isInline
                    title={t('pci.modal.giveBackConfigured', { bdf: d.bdf, guests: d.configuredIn.map((c) => c.guest).join(', ') })}
                  />
                )}
                <Button
                  variant="secondary"
                  isDisabled={busy || d.runningIn.length > 0}
                  onClick={() => void act(t('pci.done.givenBack'), () => client.call('pci.giveBack', { hostId, bdf: d.bdf }))}
                >
                  {t('pci.modal.giveBack')}
                </Button>
              </>
            )}
            <Button variant="link" isDisabled={busy} onClick={() => void act(t('pci.done.preview'), async () => setPreview(await client.call('pci.persistencePreview', { hostId, bdfs: [d.bdf] })))}>
              {t('pci.modal.preview')}
            </Button>
          </FormGroup>
          {preview && (
            <Alert variant="info" isInline title={t('pci.preview.title')} aria-label={t('pci.preview.title')}>
              <p>{preview.file ? t('pci.preview.file', { file: preview.file }) : t('pci.preview.cmdline')}</p>
              <pre className="domus-mono">{`- ${preview.before ?? ''}\n+ ${preview.after ?? ''}`}</pre>
              <p>{preview.note}</p>
              <p>{t('pci.preview.notApplied')}</p>
              {preview.rebootRequired && <p>{t('pci.preview.rebootRequired')}</p>}
            </Alert>
          )}
          <FormGroup label={t('pci.options.title')}>
            <PciOptionsFields bdf={d.bdf} options={opts} isDisabled={busy} onChange={(o) => setOpts(cleanOptions(o))} />
          </FormGroup>
          <FormGroup label={t('pci.modal.live')}>
            <FormSelect aria-label={t('pci.modal.liveGuest')} value={liveGuest} onChange={(_e, v) => setLiveGuest(v)}>
              {running.map((g) => (
                <FormSelectOption key={g.name} value={g.name} label={g.name} />
              ))}
            </FormSelect>
            {live && !live.liveAttach && (
              <Alert variant="info" isInline isPlain title={t('pci.guest.noLive', { guest: live.name })}>
                {live.configPath && (
                  <Button variant="link" isInline isDisabled={busy} onClick={() => void act(t('pci.done.enabled'), () => client.call('pci.enablePassthrough', { hostId, guest: live.name }))}>
                    {t('pci.modal.enablePassthrough')}
                  </Button>
                )}
              </Alert>
            )}
            {live?.liveAttach && <PciSelectionIssues issues={liveIssues} />}
            <Button
              isDisabled={busy || !live?.liveAttach || !selectionUsable(inv, selection, liveGuest)}
              onClick={() => void act(t('pci.done.attached'), () => giveDevices(client, hostId, liveGuest, selection, 'live'))}
            >
              {t('pci.modal.attach')}
            </Button>
            {d.runningIn.map((g) => (
              <Button key={g} variant="secondary" isDisabled={busy} onClick={() => void act(t('pci.done.detached'), () => client.call('pci.detach', { hostId, bdf: d.bdf, guest: g }))}>
                {t('pci.modal.detach', { guest: g })}
              </Button>
            ))}
          </FormGroup>
          <FormGroup label={t('pci.modal.persistent')}>
            <FormSelect aria-label={t('pci.modal.cfgGuest')} value={cfgGuest} onChange={(_e, v) => setCfgGuest(v)}>
              {withConfig.map((g) => (
                <FormSelectOption key={g.name} value={g.name} label={g.name} />
              ))}
            </FormSelect>
            <Button isDisabled={busy || !cfgGuest || needed} onClick={() => void act(t('pci.done.configured'), () => giveDevices(client, hostId, cfgGuest, selection, 'config'))}>
              {t('pci.modal.configure')}
            </Button>
            {d.configuredIn.map((c) => (
              <Button key={c.path} variant="secondary" isDisabled={busy} onClick={() => void act(t('pci.done.unconfigured'), () => client.call('pci.configure', { hostId, bdf: d.bdf, guest: c.guest, options: {}, remove: true }))}>
                {t('pci.modal.unconfigure', { guest: c.guest })}
              </Button>
            ))}
          </FormGroup>
        </Form>
      </ModalBody>
    </Modal>
  );
}

// One device's actions: make assignable (a device dom0 needs asks for its address after naming
// what stops working), give back, the boot-time preview, live attach/detach and the guest config's
// pci= with its options (seize with its warning).
import { Alert, Button, Checkbox, Form, FormGroup, FormSelect, FormSelectOption, Modal, ModalBody, ModalHeader, TextInput } from '@patternfly/react-core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PciDevice, PciInventory, PciOptions, PciPersistence } from '../../../../electron/api/pci';
import { useClient } from '../../api/context';
import type { ApiClientError } from '../../api/client';
import { ErrorAlert } from '../ErrorAlert';

// xl's own keywords for rdm_policy, shown as they are written in xl.cfg.
const RDM_POLICIES = ['strict', 'relaxed'] as const;

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
      <ModalHeader title={t('pci.modal.title', { bdf: d.bdf })} description={`${d.vendorName} ${d.deviceName}`} />
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
              <Button
                variant="secondary"
                isDisabled={busy || d.runningIn.length > 0}
                onClick={() => void act(t('pci.done.givenBack'), () => client.call('pci.giveBack', { hostId, bdf: d.bdf }))}
              >
                {t('pci.modal.giveBack')}
              </Button>
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
            <Checkbox id="pci-permissive" label={t('pci.options.permissive')} isChecked={!!opts.permissive} onChange={(_e, v) => setOpts({ ...opts, permissive: v })} />
            <Checkbox id="pci-msitranslate" label={t('pci.options.msitranslate')} isChecked={!!opts.msitranslate} onChange={(_e, v) => setOpts({ ...opts, msitranslate: v })} />
            <Checkbox id="pci-seize" label={t('pci.options.seize')} isChecked={!!opts.seize} onChange={(_e, v) => setOpts({ ...opts, seize: v })} />
            {opts.seize && <Alert variant="warning" isInline isPlain title={t('pci.options.seizeWarning')} />}
            <FormSelect aria-label={t('pci.options.rdm')} value={opts.rdmPolicy ?? ''} onChange={(_e, v) => setOpts({ ...opts, rdmPolicy: v === '' ? undefined : (v as 'strict' | 'relaxed') })}>
              <FormSelectOption value="" label={t('pci.options.rdmDefault')} />
              {RDM_POLICIES.map((p) => (
                <FormSelectOption key={p} value={p} label={p} />
              ))}
            </FormSelect>
          </FormGroup>
          <FormGroup label={t('pci.modal.live')}>
            <FormSelect aria-label={t('pci.modal.liveGuest')} value={liveGuest} onChange={(_e, v) => setLiveGuest(v)}>
              {running.map((g) => (
                <FormSelectOption key={g.name} value={g.name} label={g.name} />
              ))}
            </FormSelect>
            {live && !live.liveAttach && (
              <Alert variant="info" isInline isPlain title={t('pci.modal.noLive', { guest: live.name })}>
                {live.configPath && (
                  <Button variant="link" isInline isDisabled={busy} onClick={() => void act(t('pci.done.enabled'), () => client.call('pci.enablePassthrough', { hostId, guest: live.name }))}>
                    {t('pci.modal.enablePassthrough')}
                  </Button>
                )}
              </Alert>
            )}
            <Button
              isDisabled={busy || !live?.liveAttach || needed || (!d.assignable && !opts.seize)}
              onClick={() => void act(t('pci.done.attached'), () => client.call('pci.attach', { hostId, bdf: d.bdf, guest: liveGuest, options: opts }))}
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
            <Button isDisabled={busy || !cfgGuest || needed} onClick={() => void act(t('pci.done.configured'), () => client.call('pci.configure', { hostId, bdf: d.bdf, guest: cfgGuest, options: opts, remove: false }))}>
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

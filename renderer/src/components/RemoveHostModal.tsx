import { Button, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { Modal } from './Modal';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostSummary } from '../../../electron/api/hosts';
import { toClientError, type ApiClientError } from '../api/client';
import { useClient } from '../api/context';
import { useStoreInstance } from '../state/context';
import { ErrorAlert } from './ErrorAlert';

export function RemoveHostModal({ host, onClose, onRemoved }: { host: HostSummary; onClose: () => void; onRemoved: (id: string) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const store = useStoreInstance();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.call('hosts.remove', { hostId: host.id });
      store.removeHost(host.id);
      onRemoved(host.id);
      onClose();
    } catch (x) {
      setError(toClientError(x));
      setBusy(false);
    }
  };
  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="remove-host-title" aria-describedby="remove-host-body">
      <ModalHeader title={t('removeHost.title', { host: host.name })} labelId="remove-host-title" titleIconVariant="warning" />
      <ModalBody id="remove-host-body">
        {error && <ErrorAlert error={error} />}
        {t('removeHost.body', { host: host.name })}
      </ModalBody>
      <ModalFooter>
        <Button variant="danger" onClick={() => void remove()} isLoading={busy} isDisabled={busy}>
          {t('removeHost.confirm')}
        </Button>
        <Button variant="link" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}

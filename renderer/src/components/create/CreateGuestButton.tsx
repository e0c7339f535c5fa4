// The guest table's "Create guest" button: opens the wizard.
import { Button } from '@patternfly/react-core';
import { PlusCircleIcon } from '@patternfly/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CreateWizard } from './CreateWizard';

export function CreateGuestButton({ hostId, connected }: { hostId: string; connected: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" size="sm" icon={<PlusCircleIcon />} isDisabled={!connected} onClick={() => setOpen(true)}>
        {t('create.button')}
      </Button>
      {open && <CreateWizard hostId={hostId} connected={connected} onClose={() => setOpen(false)} />}
    </>
  );
}

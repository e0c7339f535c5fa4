// The guest table's "Create guest" button: opens the wizard.
import { Button } from '@patternfly/react-core';
import { PlusCircleIcon } from '@patternfly/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LazyArea, lazyNamed } from '../LazyArea';

/** The wizard (and the PCI picker in it) loads when it is first opened. */
const CreateWizard = lazyNamed(() => import('./CreateWizard'), 'CreateWizard');

export function CreateGuestButton({ hostId, connected }: { hostId: string; connected: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" size="sm" icon={<PlusCircleIcon />} isDisabled={!connected} onClick={() => setOpen(true)}>
        {t('create.button')}
      </Button>
      {open && (
        <LazyArea inline>
          <CreateWizard hostId={hostId} connected={connected} onClose={() => setOpen(false)} />
        </LazyArea>
      )}
    </>
  );
}

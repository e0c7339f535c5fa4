// The lifecycle buttons for one guest (page header): only those that make sense in its state.
import { Button, Flex, FlexItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import type { Guest } from '../../../../electron/api/guests';
import { availableActions, type LifecycleAction } from './availability';

export function GuestActions({ guest, busy, onAction }: { guest: Guest; busy: boolean; onAction: (a: LifecycleAction) => void }) {
  const { t } = useTranslation();
  const actions = availableActions(guest);
  return (
    <Flex spaceItems={{ default: 'spaceItemsSm' }} role="group" aria-label={t('lifecycle.actions.label', { name: guest.name })}>
      {actions.map((a) => (
        <FlexItem key={a}>
          <Button
            variant={a === 'destroy' || a === 'delete' ? 'danger' : a === 'start' ? 'primary' : 'secondary'}
            size="sm"
            isDisabled={busy}
            isLoading={busy && a === actions[0]}
            onClick={() => onAction(a)}
            aria-label={t(`lifecycle.actions.${a}Named`, { name: guest.name })}
            title={t(`lifecycle.shortcut.${a}`)}
          >
            {t(`lifecycle.actions.${a}`)}
          </Button>
        </FlexItem>
      ))}
    </Flex>
  );
}

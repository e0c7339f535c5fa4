import { Label } from '@patternfly/react-core';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GuestState } from '../../../electron/api/guests';

export const guestStateColors: Record<GuestState, 'green' | 'blue' | 'orange' | 'red' | 'grey' | 'yellow'> = {
  running: 'green',
  blocked: 'blue',
  paused: 'yellow',
  shutdown: 'orange',
  crashed: 'red',
  dying: 'orange',
  'shut off': 'grey',
};

export const stateKey = (s: GuestState) => (s === 'shut off' ? 'shutOff' : s);

export const GuestStateLabel = memo(function GuestStateLabel({ state }: { state: GuestState }) {
  const { t } = useTranslation();
  return (
    <Label isCompact color={guestStateColors[state]} data-state={state}>
      {t(`guestState.${stateKey(state)}`)}
    </Label>
  );
});

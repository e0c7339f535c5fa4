import { Label, Tooltip } from '@patternfly/react-core';
import { Spinner } from './Spinner';
import CheckCircleIcon from '@patternfly/react-icons/dist/esm/icons/check-circle-icon';
import DisconnectedIcon from '@patternfly/react-icons/dist/esm/icons/disconnected-icon';
import ExclamationCircleIcon from '@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon';
import KeyIcon from '@patternfly/react-icons/dist/esm/icons/key-icon';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostSummary } from '../../../electron/api/hosts';

const colors = {
  connected: 'green',
  connecting: 'blue',
  reconnecting: 'orange',
  // A question for the user, not an error: no red behind the trust dialog.
  awaitingKey: 'blue',
  failed: 'red',
  disconnected: 'grey',
} as const;

/** Connection state as a coloured label with an icon AND text; failed/reconnecting explain why. */
export function ConnectionStateLabel({ host, compact = false }: { host: HostSummary; compact?: boolean }) {
  const { t } = useTranslation();
  const s = host.state;
  const busy = s === 'connecting' || s === 'reconnecting';
  const icon = busy ? (
    <Spinner size="sm" aria-hidden="true" />
  ) : s === 'connected' ? (
    <CheckCircleIcon />
  ) : s === 'failed' ? (
    <ExclamationCircleIcon />
  ) : s === 'awaitingKey' ? (
    <KeyIcon />
  ) : (
    <DisconnectedIcon />
  );
  // The sidebar is too narrow for the whole sentence: a short form there, the sentence as its tooltip.
  const short = compact && s === 'awaitingKey';
  const label: ReactElement = (
    <Label color={colors[s]} icon={icon} isCompact={compact} data-state={s}>
      {short ? t('connection.awaitingKeyShort') : t(`connection.${s}`)}
    </Label>
  );
  if (short) {
    return (
      <Tooltip content={t('connection.awaitingKey')} aria="none">
        {label}
      </Tooltip>
    );
  }
  if (host.reason && (s === 'failed' || s === 'reconnecting')) {
    // Mouse users get the reason as a tooltip; the sidebar and overview also expose it as text.
    return (
      <Tooltip content={host.reason} aria="none">
        {label}
      </Tooltip>
    );
  }
  return label;
}

import { AlertActionCloseButton, ExpandableSection } from '@patternfly/react-core';
import { Alert } from './Alert';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../electron/api/errors';
import { ApiClientError } from '../api/client';

/** An API error: its message as the title, the raw detail (tool output) behind "Details". */
export function ErrorAlert({
  error,
  onClose,
  isInline = true,
}: {
  error: ApiError | ApiClientError;
  onClose?: () => void;
  isInline?: boolean;
}) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const local = error instanceof ApiClientError && error.local;
  const title = local ? t(`errors.local.${error.code === 'connection_lost' ? 'connectionLost' : 'internal'}`) : error.message;
  return (
    <Alert
      variant="danger"
      isInline={isInline}
      title={title}
      actionClose={onClose ? <AlertActionCloseButton aria-label={t('errors.dismiss')} onClose={onClose} /> : undefined}
    >
      <ExpandableSection
        toggleText={expanded ? t('errors.hideDetails') : t('errors.showDetails')}
        onToggle={(_e, v) => setExpanded(v)}
        isExpanded={expanded}
      >
        <dl className="domus-error-meta">
          <dt>{t('errors.code')}</dt>
          <dd>
            <code>{error.code}</code>
          </dd>
        </dl>
        {error.detail ? (
          <pre className="domus-mono domus-detail" aria-label={t('errors.rawDetail')}>
            {error.detail}
          </pre>
        ) : (
          <p>{t('errors.noDetail')}</p>
        )}
      </ExpandableSection>
    </Alert>
  );
}

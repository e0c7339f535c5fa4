import { AlertActionCloseButton, Banner, Button, Flex, FlexItem } from '@patternfly/react-core';
import { Alert } from './Alert';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackendStatus, useClient } from '../api/context';

/** Problems the backend met at start (a saved file it could not read and set aside). */
function StartupProblems() {
  const { t } = useTranslation();
  const client = useClient();
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    client.call('app.info', {}).then((info) => setProblems(info.startupProblems ?? []), () => {});
  }, [client]);
  if (problems.length === 0) return null;
  return (
    <>
      {problems.map((p) => (
        <Alert
          key={p}
          variant="warning"
          isInline
          title={t('backend.startupProblem')}
          actionClose={<AlertActionCloseButton onClose={() => setProblems((all) => all.filter((x) => x !== p))} />}
        >
          {p}
        </Alert>
      ))}
    </>
  );
}

/** Shown while the backend (browser mode: the WebSocket) is unreachable, and for start-up problems. */
export function BackendBanner() {
  const { t } = useTranslation();
  const client = useClient();
  const status = useBackendStatus();
  return (
    <>
      <StartupProblems />
      {status === 'lost' && (
        <Banner status="danger" screenReaderText={t('backend.srDanger')}>
          <Flex role="alert" aria-label={t('backend.lostTitle')} spaceItems={{ default: 'spaceItemsSm' }} alignItems={{ default: 'alignItemsCenter' }}>
            <FlexItem>{t('backend.lost')}</FlexItem>
            <FlexItem>
              <Button variant="link" isInline onClick={() => client.retryNow()}>
                {t('backend.retry')}
              </Button>
            </FlexItem>
          </Flex>
        </Banner>
      )}
    </>
  );
}

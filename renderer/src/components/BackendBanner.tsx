import { Banner, Button, Flex, FlexItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { useBackendStatus, useClient } from '../api/context';

/** Shown while the backend (browser mode: the WebSocket) is unreachable. */
export function BackendBanner() {
  const { t } = useTranslation();
  const client = useClient();
  const status = useBackendStatus();
  if (status !== 'lost') return null;
  return (
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
  );
}

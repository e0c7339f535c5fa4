// A browser-mode tab that holds no page key (opened by hand, or a bookmark): the API would refuse
// it, so the page says why and how to get in instead of trying to connect for ever.
import { EmptyState, EmptyStateBody, Page, PageSection } from '@patternfly/react-core';
import LockIcon from '@patternfly/react-icons/dist/esm/icons/lock-icon';
import { useTranslation } from 'react-i18next';

export function NotSignedIn() {
  const { t } = useTranslation();
  return (
    <Page>
      <PageSection isFilled>
        <EmptyState headingLevel="h1" icon={LockIcon} titleText={t('signIn.title')}>
          <EmptyStateBody>{t('signIn.body')}</EmptyStateBody>
        </EmptyState>
      </PageSection>
    </Page>
  );
}

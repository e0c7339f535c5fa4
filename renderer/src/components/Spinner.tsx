// PatternFly's Spinner tells screen readers "Loading..." (its aria-valuetext) and, without a
// label, "Contents", in English whatever the language. Domus uses this Spinner everywhere
// instead (a unit test refuses PatternFly's own): both are said in the UI's language.
import { Spinner as PatternFlySpinner, type SpinnerProps } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

export function Spinner(props: Omit<SpinnerProps, 'ref'>) {
  const { t } = useTranslation();
  return <PatternFlySpinner aria-valuetext={t('common.loading')} aria-label={t('common.loading')} {...props} />;
}

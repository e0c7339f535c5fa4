// PatternFly's Alert speaks an English prefix before each title ("Danger alert:", read out by
// screen readers only) and labels its expand toggle in English unless told otherwise. Domus
// uses this Alert everywhere instead (a unit test refuses PatternFly's own), so both are said
// in the UI's language.
import { Alert as PatternFlyAlert, type AlertProps } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

export function Alert(props: AlertProps) {
  const { t } = useTranslation();
  const variant = props.variant ?? 'custom';
  return <PatternFlyAlert variantLabel={t(`alerts.${variant}`)} toggleAriaLabel={t('alerts.toggle')} {...props} />;
}

// PatternFly's Modal labels its close button "Close" in English and offers no prop to change it.
// Domus uses this Modal everywhere instead (a unit test refuses PatternFly's own): it draws the
// same close button itself, labelled in the UI's language, and closes on Escape as before.
import { Modal as PatternFlyModal, type ModalProps } from '@patternfly/react-core';
import { ModalBoxCloseButton } from '@patternfly/react-core/dist/esm/components/Modal/ModalBoxCloseButton';
import { useTranslation } from 'react-i18next';

export function Modal({ onClose, onEscapePress, children, ...props }: Omit<ModalProps, 'ref'>) {
  const { t } = useTranslation();
  return (
    <PatternFlyModal {...props} onEscapePress={onEscapePress ?? onClose}>
      {onClose && <ModalBoxCloseButton aria-label={t('common.close')} onClose={onClose} />}
      {children}
    </PatternFlyModal>
  );
}

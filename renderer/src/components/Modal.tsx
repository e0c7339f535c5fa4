// PatternFly's Modal labels its close button "Close" in English and offers no prop to change it.
// Domus uses this Modal everywhere instead (a unit test refuses PatternFly's own): it draws the
// same close button itself (PatternFly's class and icon), labelled in the UI's language, and
// closes on Escape as before.
import { Button, Modal as PatternFlyModal, type ModalProps } from '@patternfly/react-core';
import RhMicronsCloseIcon from '@patternfly/react-icons/dist/esm/icons/rh-microns-close-icon';
import { useTranslation } from 'react-i18next';

export function Modal({ onClose, onEscapePress, children, ...props }: Omit<ModalProps, 'ref'>) {
  const { t } = useTranslation();
  return (
    <PatternFlyModal {...props} onEscapePress={onEscapePress ?? onClose}>
      {onClose && (
        <div className="pf-v6-c-modal-box__close">
          <Button variant="plain" aria-label={t('common.close')} onClick={(e) => onClose(e)} icon={<RhMicronsCloseIcon />} />
        </div>
      )}
      {children}
    </PatternFlyModal>
  );
}

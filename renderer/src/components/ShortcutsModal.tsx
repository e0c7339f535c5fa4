import { ModalBody, ModalHeader } from '@patternfly/react-core';
import { Modal } from './Modal';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { isMac, SHORTCUTS } from '../shortcuts';

export function ShortcutsModal({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const mac = isMac();
  const keyName = (k: string) => (k === 'Mod' ? (mac ? t('keys.cmd') : t('keys.ctrl')) : k === 'Alt' ? (mac ? t('keys.option') : t('keys.alt')) : k === 'Delete' ? t('keys.delete') : k);
  return (
    <Modal variant="small" isOpen={isOpen} onClose={onClose} aria-labelledby="shortcuts-title">
      <ModalHeader title={t('shortcuts.title')} labelId="shortcuts-title" />
      <ModalBody>
        <Table aria-label={t('shortcuts.tableLabel')} variant="compact" borders={false} role="table">
          <Thead>
            <Tr>
              <Th>{t('shortcuts.action')}</Th>
              <Th>{t('shortcuts.keys')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {SHORTCUTS.map((s) => (
              <Tr key={s.id}>
                <Td>{t(`shortcuts.actions.${s.id}`)}</Td>
                <Td>
                  {s.keys.map((combo, i) => (
                    <Fragment key={i}>
                      {i > 0 && <span className="domus-muted">{t('shortcuts.or')}</span>}
                      {combo.map((k, j) => (
                        <Fragment key={j}>
                          {j > 0 && '+'}
                          <kbd className="domus-kbd">{keyName(k)}</kbd>
                        </Fragment>
                      ))}
                    </Fragment>
                  ))}
                </Td>
              </Tr>
            ))}
            <Tr>
              <Td>{t('shortcuts.actions.close')}</Td>
              <Td>
                <kbd className="domus-kbd">{t('keys.escape')}</kbd>
              </Td>
            </Tr>
          </Tbody>
        </Table>
      </ModalBody>
    </Modal>
  );
}

import { ModalBody, ModalHeader } from '@patternfly/react-core';
import { Modal } from './Modal';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { isMac, shortcutsFor, type ShortcutPlace } from '../shortcuts';

/** Keys whose names are translated (Entf, Pos1, Ende in German). */
const NAMED_KEYS: Record<string, string> = { Delete: 'keys.delete', Home: 'keys.home', End: 'keys.end' };

/** The shortcuts of the page the user is on (`place`), and Esc for the dialogs. */
export function ShortcutsModal({ isOpen, onClose, place }: { isOpen: boolean; onClose: () => void; place: ShortcutPlace }) {
  const { t } = useTranslation();
  const mac = isMac();
  const keyName = (k: string) => (k === 'Mod' ? (mac ? t('keys.cmd') : t('keys.ctrl')) : k === 'Alt' ? (mac ? t('keys.option') : t('keys.alt')) : NAMED_KEYS[k] ? t(NAMED_KEYS[k]) : k);
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
            {shortcutsFor(place).map((s) => (
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

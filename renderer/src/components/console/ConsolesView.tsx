// The host's Consoles view: its running guests with buttons to open their consoles, and the open
// consoles as tabs (each closes its stream, and so its channel on the host, when closed).
import { Button, Content, Tab, TabTitleText, Tabs } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guest } from '../../../../electron/api/guests';
import { useStore } from '../../state/context';
import { closeConsoleTab, openConsoleTab, setActiveConsole, useConsoleTabs } from './sessions';
import { TextConsole } from './TextConsole';
import { VncConsole } from './VncConsole';

const EMPTY: Guest[] = [];

/** HVM guests talk on the emulated serial port; PV and PVH guests on the PV console. */
export function defaultTextType(g: Pick<Guest, 'type'>): 'pv' | 'serial' {
  return g.type === 'hvm' ? 'serial' : 'pv';
}

export function ConsolesView({ hostId, connected }: { hostId: string; connected: boolean }) {
  const { t } = useTranslation();
  const guestMap = useStore((s) => s.guests.get(hostId));
  const running = useMemo(
    () => (guestMap ? [...guestMap.values()].filter((g) => !g.isControlDomain && g.domid !== null).sort((a, b) => a.name.localeCompare(b.name)) : EMPTY),
    [guestMap],
  );
  const { tabs, active } = useConsoleTabs(hostId);

  return (
    <>
      <Table aria-label={t('console.guests')} variant="compact">
        <Thead>
          <Tr>
            <Th>{t('console.guest')}</Th>
            <Th>{t('console.type')}</Th>
            <Th screenReaderText={t('console.actions')} />
          </Tr>
        </Thead>
        <Tbody>
          {running.length === 0 && (
            <Tr>
              <Td colSpan={3}>{t('console.noneRunning')}</Td>
            </Tr>
          )}
          {running.map((g) => (
            <Tr key={g.id}>
              <Td dataLabel={t('console.guest')}>{g.name}</Td>
              <Td dataLabel={t('console.type')}>{g.type ?? '—'}</Td>
              <Td isActionCell>
                <Button
                  variant="secondary"
                  size="sm"
                  isDisabled={!connected}
                  aria-label={t('console.openText', { guest: g.name })}
                  onClick={() => openConsoleTab(hostId, g.name, 'text', defaultTextType(g))}
                >
                  {t('console.text')}
                </Button>{' '}
                {g.type === 'hvm' && (
                  <Button
                    variant="secondary"
                    size="sm"
                    isDisabled={!connected}
                    aria-label={t('console.openVnc', { guest: g.name })}
                    onClick={() => openConsoleTab(hostId, g.name, 'vnc', 'serial')}
                  >
                    {t('console.graphical')}
                  </Button>
                )}
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {tabs.length === 0 ? (
        <Content component="p" style={{ marginTop: 16 }}>
          {t('console.noneOpen')}
        </Content>
      ) : (
        <Tabs
          activeKey={active ?? tabs[0]!.key}
          onSelect={(_e, k) => setActiveConsole(hostId, String(k))}
          onClose={(_e, k) => closeConsoleTab(hostId, String(k))}
          aria-label={t('console.tabs')}
          style={{ marginTop: 16 }}
        >
          {tabs.map((c) => (
            <Tab
              key={c.key}
              eventKey={c.key}
              title={<TabTitleText>{c.kind === 'vnc' ? t('console.tabVnc', { guest: c.guest }) : t('console.tabText', { guest: c.guest })}</TabTitleText>}
              closeButtonAriaLabel={t('console.closeTab', { guest: c.guest })}
            >
              {c.kind === 'vnc' ? (
                <VncConsole hostId={hostId} guest={c.guest} />
              ) : (
                <TextConsole consoleKey={c.key} hostId={hostId} guest={c.guest} textType={c.textType} />
              )}
            </Tab>
          ))}
        </Tabs>
      )}
    </>
  );
}

/** The guest page's "Open console" action: opens the console tab in the host's Consoles view. */
export function OpenConsoleAction({ hostId, guest, connected }: { hostId: string; guest: Guest; connected: boolean }) {
  const { t } = useTranslation();
  if (guest.isControlDomain || guest.domid === null) return null;
  return (
    <Button
      variant="secondary"
      isDisabled={!connected}
      aria-label={t('console.openText', { guest: guest.name })}
      onClick={() => openConsoleTab(hostId, guest.name, 'text', defaultTextType(guest))}
    >
      {t('console.open')}
    </Button>
  );
}

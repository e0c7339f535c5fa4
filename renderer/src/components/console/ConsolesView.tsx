// The host's Consoles view: its running guests with buttons to open their consoles, and the open
// consoles as tabs (each closes its stream, and so its channel on the host, when closed).
import { Button, Content, Tab, TabTitleText } from '@patternfly/react-core';
import { Alert } from '../Alert';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleOverflow } from '../../../../electron/api/consoles';
import type { Guest } from '../../../../electron/api/guests';
import { useClient } from '../../api/context';
import { useStore } from '../../state/context';
import { openConsoleWindow } from './consoleRoute';
import { closeConsoleTab, consoleKey, openConsoleTab, setActiveConsole, useConsoleTabs } from './sessions';
import { KeyboardTabs } from '../KeyboardTabs';
import { LazyArea } from '../LazyArea';
import { TextConsole, VncConsole } from './lazyConsoles';

const EMPTY: Guest[] = [];

/**
 * HVM guests talk on the emulated serial port; PV and PVH guests on the PV console. Unknown
 * (a guest seen before `xl list -l` described it): the backend looks it up.
 */
export function defaultTextType(g: Pick<Guest, 'type'>): 'pv' | 'serial' | undefined {
  if (g.type === null) return undefined;
  return g.type === 'hvm' ? 'serial' : 'pv';
}

/** Whether a guest may have a graphical console: HVM guests, and guests whose type is not known yet. */
export function mayHaveVnc(g: Pick<Guest, 'type'>): boolean {
  return g.type === 'hvm' || g.type === null;
}

/** Warns when the host's xenconsoled throws away console output a slow reader has not taken. */
function useConsoleOverflow(hostId: string, connected: boolean): ConsoleOverflow {
  const client = useClient();
  const [overflow, setOverflow] = useState<ConsoleOverflow>('unknown');
  useEffect(() => {
    if (!connected) return;
    let live = true;
    client
      .call('console.hostCheck', { hostId })
      .then((r) => live && setOverflow(r.overflow))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [client, hostId, connected]);
  return overflow;
}

export function ConsolesView({ hostId, connected }: { hostId: string; connected: boolean }) {
  const { t } = useTranslation();
  const guestMap = useStore((s) => s.guests.get(hostId));
  const running = useMemo(
    () => (guestMap ? [...guestMap.values()].filter((g) => !g.isControlDomain && g.domid !== null).sort((a, b) => a.name.localeCompare(b.name)) : EMPTY),
    [guestMap],
  );
  const { tabs, active } = useConsoleTabs(hostId);
  const overflow = useConsoleOverflow(hostId, connected);
  const [blocked, setBlocked] = useState(false);
  // A guest's text console has one reader at a time (xenconsole's lock): moving it to its own
  // window closes its tab here first.
  const ownWindow = (guest: string, kind: 'text' | 'vnc') => {
    const key = consoleKey(hostId, guest, kind);
    if (tabs.some((c) => c.key === key)) closeConsoleTab(hostId, key);
    setBlocked(!openConsoleWindow({ hostId, guest, kind }));
  };

  return (
    <>
      {overflow === 'discard' && (
        <Alert isInline variant="info" title={t('console.overflowTitle')} aria-label={t('console.overflowTitle')} style={{ marginBottom: 16 }}>
          {t('console.overflowBody')}
        </Alert>
      )}
      {blocked && (
        <Alert
          isInline
          variant="info"
          title={t('console.windowBlocked')}
          actionClose={<Button variant="plain" onClick={() => setBlocked(false)} aria-label={t('console.dismiss')}>×</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
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
                <Button
                  variant="link"
                  size="sm"
                  isDisabled={!connected}
                  aria-label={t('console.openTextWindow', { guest: g.name })}
                  onClick={() => ownWindow(g.name, 'text')}
                >
                  {t('console.newWindow')}
                </Button>{' '}
                {mayHaveVnc(g) && (
                  <Button
                    variant="secondary"
                    size="sm"
                    isDisabled={!connected}
                    aria-label={t('console.openVnc', { guest: g.name })}
                    onClick={() => openConsoleTab(hostId, g.name, 'vnc')}
                  >
                    {t('console.graphical')}
                  </Button>
                )}{' '}
                {mayHaveVnc(g) && (
                  <Button
                    variant="link"
                    size="sm"
                    isDisabled={!connected}
                    aria-label={t('console.openVncWindow', { guest: g.name })}
                    onClick={() => ownWindow(g.name, 'vnc')}
                  >
                    {t('console.newWindow')}
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
        <KeyboardTabs
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
              <LazyArea>
                {c.kind === 'vnc' ? (
                  <VncConsole hostId={hostId} guest={c.guest} />
                ) : (
                  <TextConsole consoleKey={c.key} hostId={hostId} guest={c.guest} textType={c.textType} />
                )}
              </LazyArea>
            </Tab>
          ))}
        </KeyboardTabs>
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
      aria-label={t('console.openNamed', { guest: guest.name })}
      onClick={() => openConsoleTab(hostId, guest.name, 'text', defaultTextType(guest))}
    >
      {t('console.open')}
    </Button>
  );
}

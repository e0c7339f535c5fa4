// A console in its own window: the app loaded at #/console/<host>/<guest>[/vnc] shows only that
// console, filling the window. Browser mode opens it as a new browser tab or window (same origin,
// so the session cookie goes along and the stream gets its own one-time token); Electron opens
// the same URL in a new BrowserWindow (main.ts's window-open handler allows exactly this route).
import { Content, Title } from '@patternfly/react-core';
import { Alert } from '../Alert';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../state/context';
import type { ConsoleRoute } from './consoleRoute';
import { consoleKey } from './sessions';
import { LazyArea } from '../LazyArea';
import { TextConsole, VncConsole } from './lazyConsoles';

export function ConsoleWindow({ route }: { route: ConsoleRoute }) {
  const { t } = useTranslation();
  const host = useStore((s) => s.hosts.find((h) => h.id === route.hostId));
  const hostsLoaded = useStore((s) => s.hostsLoaded);
  const title = route.kind === 'vnc' ? t('console.tabVnc', { guest: route.guest }) : t('console.tabText', { guest: route.guest });

  useEffect(() => {
    document.title = host ? `${title} — ${host.name}` : title;
  }, [title, host]);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100vh', padding: 8, boxSizing: 'border-box' }}>
      <Title headingLevel="h1" size="md" style={{ marginBottom: 4 }}>
        {title}
        {host && <Content component="small"> — {host.name}</Content>}
      </Title>
      {hostsLoaded && !host ? (
        <Alert isInline variant="danger" title={t('console.windowNoHost')} />
      ) : (
        <div style={{ flex: 1, minHeight: 0 }}>
          <LazyArea>
            {route.kind === 'vnc' ? (
              <VncConsole hostId={route.hostId} guest={route.guest} fill />
            ) : (
              <TextConsole consoleKey={`window:${consoleKey(route.hostId, route.guest, route.kind)}`} hostId={route.hostId} guest={route.guest} fill />
            )}
          </LazyArea>
        </div>
      )}
    </div>
  );
}

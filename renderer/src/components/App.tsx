import {
  AlertGroup,
  Button,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Page,
  PageSection,
  Tab,
  TabTitleText,
} from '@patternfly/react-core';
import { Spinner } from './Spinner';
import ServerIcon from '@patternfly/react-icons/dist/esm/icons/server-icon';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostSummary } from '../../../electron/api/hosts';
import { toClientError } from '../api/client';
import { useClient } from '../api/context';
import { useStore, useStoreInstance } from '../state/context';
import { useNotices, type Notices } from '../state/notices';
import { useShortcuts, type ShortcutPlace } from '../shortcuts';
import { AddHostModal } from './AddHostModal';
import { AppMasthead } from './AppMasthead';
import { BackendBanner } from './BackendBanner';
import { ErrorAlert } from './ErrorAlert';
import { GUEST_FILTER_ID } from './GuestTable';
import { hostViews } from './host/hostViews';
import { HostKeyModal } from './HostKeyModal';
import { HostOverview } from './HostOverview';
import { HostsSidebar } from './HostsSidebar';
import { KeyboardTabs } from './KeyboardTabs';
import { LazyArea, lazyNamed } from './LazyArea';
import { RemoveHostModal } from './RemoveHostModal';
import { ShortcutsModal } from './ShortcutsModal';
import { GuestNavigationProvider, type GuestNavigation } from './guest/navigation';
import { TaskPanel } from './tasks/TaskPanel';

type Dialog = 'add' | 'edit' | 'help' | 'remove' | null;

/** A guest's own page (details, graphs, its areas' tabs) loads when a guest is first opened. */
const GuestPage = lazyNamed(() => import('./guest/GuestPage'), 'GuestPage');

const keyProblemId = (h: HostSummary) => (h.hostKey ? `${h.id}|${h.hostKey.kind}|${h.hostKey.fingerprint}` : '');

export function App({ notices }: { notices: Notices }) {
  const { t } = useTranslation();
  const client = useClient();
  const store = useStoreInstance();
  const hosts = useStore((s) => s.hosts);
  const hostsLoaded = useStore((s) => s.hostsLoaded);
  const errors = useNotices(notices);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [view, setView] = useState<string>('guests');
  // The guest whose page is open (on the selected host), or null for the host's views.
  const [guestView, setGuestView] = useState<{ hostId: string; guestId: string } | null>(null);
  const guestNav = useMemo<GuestNavigation>(
    () => ({ openGuest: (hostId, guestId) => setGuestView({ hostId, guestId }), notify: (e) => notices.push(e) }),
    [notices],
  );
  const [dismissedKeys, setDismissedKeys] = useState<ReadonlySet<string>>(() => new Set());

  // Keep a valid selection: the first host when none (or the selected one went away).
  const selected = hosts.find((h) => h.id === selectedId) ?? null;
  useEffect(() => {
    if (!selected && hosts.length > 0) setSelectedId(hosts[0].id);
    if (!selected && hosts.length === 0 && selectedId !== null) setSelectedId(null);
  }, [selected, hosts, selectedId]);

  const keyHost = useMemo(() => hosts.find((h) => h.hostKey && !dismissedKeys.has(keyProblemId(h))) ?? null, [hosts, dismissedKeys]);
  const dismissKey = (h: HostSummary) => setDismissedKeys((prev) => new Set(prev).add(keyProblemId(h)));
  const undismissHost = (id: string) =>
    setDismissedKeys((prev) => {
      const next = new Set([...prev].filter((k) => !k.startsWith(`${id}|`)));
      return next.size === prev.size ? prev : next;
    });

  const run = useCallback(
    (p: Promise<HostSummary>) =>
      p.then((s) => store.upsertHost(s)).catch((x: unknown) => notices.push(toClientError(x))),
    [store, notices],
  );
  const connect = (h: HostSummary | null) => {
    if (!h) return;
    undismissHost(h.id);
    void run(client.call('hosts.connect', { hostId: h.id }));
  };
  const disconnect = (h: HostSummary | null) => {
    if (h) void run(client.call('hosts.disconnect', { hostId: h.id }));
  };
  const step = (delta: number) => {
    if (!hosts.length) return;
    const i = hosts.findIndex((h) => h.id === selectedId);
    setSelectedId(hosts[(i + delta + hosts.length) % hosts.length].id);
  };

  const modalOpen = dialog !== null || keyHost !== null;
  const onGuestPage = !!selected && guestView?.hostId === selected.id;
  const place = useMemo<ShortcutPlace>(
    () => (onGuestPage ? { page: 'guest' } : selected ? { page: 'host', view } : { page: 'start' }),
    [onGuestPage, selected, view],
  );
  useShortcuts(
    {
      addHost: () => setDialog('add'),
      focusFilter: () => {
        const el = document.getElementById(GUEST_FILTER_ID);
        if (el instanceof HTMLInputElement) {
          el.focus();
          el.select();
        }
      },
      help: () => setDialog('help'),
      connect: () => selected && (selected.state === 'disconnected' || selected.state === 'failed' || selected.state === 'awaitingKey') && connect(selected),
      disconnect: () => selected && selected.state !== 'disconnected' && selected.state !== 'failed' && selected.state !== 'awaitingKey' && disconnect(selected),
      removeHost: () => selected && setDialog('remove'),
      nextHost: () => step(1),
      previousHost: () => step(-1),
    },
    !modalOpen,
    place,
  );

  const onSelect = useCallback((id: string) => {
    setSelectedId(id);
    setGuestView(null);
  }, []);
  const openAdd = useCallback(() => setDialog('add'), []);
  const close = useCallback(() => setDialog(null), []);

  return (
    <GuestNavigationProvider value={guestNav}>
      <Page
        masthead={<AppMasthead onHelp={() => setDialog('help')} />}
        sidebar={<HostsSidebar selectedId={selected?.id ?? null} onSelect={onSelect} onAdd={openAdd} />}
        isManagedSidebar
        banner={<BackendBanner />}
        mainAriaLabel={t('main.label')}
      >
        {errors.length > 0 && (
          <PageSection aria-label={t('errors.region')}>
            <AlertGroup>
              {errors.map((n) => (
                <ErrorAlert key={n.id} error={n.error} onClose={() => notices.dismiss(n.id)} />
              ))}
            </AlertGroup>
          </PageSection>
        )}
        {selected && onGuestPage ? (
          <PageSection isFilled>
            <LazyArea>
              <GuestPage
                key={guestView.guestId}
                hostId={selected.id}
                guestId={guestView.guestId}
                connected={selected.state === 'connected'}
                onBack={() => setGuestView(null)}
              />
            </LazyArea>
          </PageSection>
        ) : selected ? (
          <>
            <PageSection>
              <HostOverview
                hostId={selected.id}
                onConnect={() => connect(selected)}
                onDisconnect={() => disconnect(selected)}
                onRemove={() => setDialog('remove')}
                onReviewKey={() => undismissHost(selected.id)}
                onEdit={() => setDialog('edit')}
              />
            </PageSection>
            <PageSection isFilled>
              <KeyboardTabs
                activeKey={view}
                onSelect={(_e, k) => setView(String(k))}
                aria-label={t('views.label')}
                mountOnEnter
                unmountOnExit
              >
                {hostViews.map((v) => (
                  <Tab key={v.id} eventKey={v.id} title={<TabTitleText>{t(v.titleKey)}</TabTitleText>}>
                    {v.render({ hostId: selected.id, connected: selected.state === 'connected' })}
                  </Tab>
                ))}
              </KeyboardTabs>
            </PageSection>
          </>
        ) : (
          <PageSection isFilled>
            {hostsLoaded ? (
              <EmptyState headingLevel="h1" icon={ServerIcon} titleText={t('welcome.title')}>
                <EmptyStateBody>{t('welcome.body')}</EmptyStateBody>
                <EmptyStateFooter>
                  <EmptyStateActions>
                    <Button variant="primary" onClick={openAdd}>
                      {t('hosts.add')}
                    </Button>
                  </EmptyStateActions>
                </EmptyStateFooter>
              </EmptyState>
            ) : (
              <EmptyState headingLevel="h1" icon={() => <Spinner size="xl" aria-hidden="true" />} titleText={t('welcome.loading')} />
            )}
          </PageSection>
        )}
        <PageSection aria-label={t('tasks.panel.label')} className="domus-task-section">
          <TaskPanel onError={notices.push} />
        </PageSection>
      </Page>
      <AddHostModal isOpen={dialog === 'add'} onClose={close} onAdded={onSelect} />
      {dialog === 'edit' && selected && <AddHostModal isOpen editing={selected} onClose={close} onAdded={onSelect} />}
      <ShortcutsModal isOpen={dialog === 'help'} onClose={close} place={place} />
      {dialog === 'remove' && selected && <RemoveHostModal host={selected} onClose={close} onRemoved={() => setSelectedId(null)} />}
      {dialog === null && keyHost && <HostKeyModal key={keyProblemId(keyHost)} host={keyHost} onClose={() => dismissKey(keyHost)} />}
    </GuestNavigationProvider>
  );
}

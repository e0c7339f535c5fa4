// A guest's own page: header with state and actions (plus other areas' actions), and tabs:
// Overview, Graphs, Config, then the tabs other areas add (extensions.tsx).
import {
  Breadcrumb, BreadcrumbItem, Button, DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm,
  Flex, FlexItem, Switch, Tab, TabTitleText, Title,
} from '@patternfly/react-core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guest } from '../../../../electron/api/guests';
import type { GuestDetails } from '../../../../electron/api/lifecycle';
import { toClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { formatByteSize, formatInteger, formatMiB } from '../../format';
import { useStore } from '../../state/context';
import { GuestStateLabel } from '../GuestStateLabel';
import { KeyboardTabs } from '../KeyboardTabs';
import { availableActions, type LifecycleAction } from './availability';
import { guestActions, guestTabs } from './extensions';
import { GuestActions } from './GuestActions';
import { GuestConfig } from './GuestConfig';
import { GuestGraphs } from './GuestGraphs';
import { SavedStates } from './SavedStates';
import { useGuestNavigation } from './navigation';
import { useLifecycle } from './useLifecycle';
import { useLiveFigures } from '../../state/liveInterest';
import { useShortcuts, type ShortcutPlace } from '../../shortcuts';

// The guest page's keys (start, shut down, …) are in the shortcuts table, listed by `?` here.
const GUEST_PAGE: ShortcutPlace = { page: 'guest' };

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return d ? `${d}d ${hms}` : hms;
}

export function GuestPage({ hostId, guestId, connected, onBack }: { hostId: string; guestId: string; connected: boolean; onBack: () => void }) {
  useLiveFigures(connected ? hostId : null);
  const { t } = useTranslation();
  const guest = useStore((s) => s.guests.get(hostId)?.get(guestId));
  const hostName = useStore((s) => s.hosts.find((h) => h.id === hostId)?.name ?? '');
  const [tab, setTab] = useState<string>('overview');
  const { request, busy, dialogs } = useLifecycle(hostId);

  const act = (a: LifecycleAction) => () => {
    if (guest && availableActions(guest).includes(a)) request(a, [guest]);
  };
  useShortcuts(
    { guestStart: act('start'), guestShutdown: act('shutdown'), guestReboot: act('reboot'), guestPause: act('pause'), guestResume: act('resume'), guestDestroy: act('destroy') },
    !!guest,
    GUEST_PAGE,
  );

  if (!guest) {
    return (
      <section aria-label={t('lifecycle.page.goneLabel')}>
        <p>{t('lifecycle.page.gone')}</p>
        <Button variant="link" onClick={onBack}>
          {t('lifecycle.page.back', { host: hostName })}
        </Button>
      </section>
    );
  }
  const ext = { hostId, guest, connected };
  const tabs = [
    <Tab key="overview" eventKey="overview" title={<TabTitleText>{t('lifecycle.tabs.overview')}</TabTitleText>}>
      <GuestOverview hostId={hostId} guest={guest} />
    </Tab>,
    <Tab key="graphs" eventKey="graphs" title={<TabTitleText>{t('lifecycle.tabs.graphs')}</TabTitleText>}>
      <GuestGraphs hostId={hostId} guest={guest} />
    </Tab>,
    <Tab key="config" eventKey="config" title={<TabTitleText>{t('lifecycle.tabs.config')}</TabTitleText>} isDisabled={!guest.configPath}>
      <GuestConfig hostId={hostId} guest={guest} />
    </Tab>,
    ...guestTabs
      .filter((x) => !x.applies || x.applies(guest))
      .map((x) => (
        <Tab key={x.id} eventKey={x.id} title={<TabTitleText>{t(x.titleKey)}</TabTitleText>}>
          {x.render(ext)}
        </Tab>
      )),
  ];
  return (
    <section aria-label={t('lifecycle.page.label', { name: guest.name })} className="domus-guest-page">
      <Breadcrumb>
        <BreadcrumbItem>
          <Button variant="link" isInline onClick={onBack} aria-label={t('lifecycle.page.back', { host: hostName })}>
            {hostName}
          </Button>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>{guest.name}</BreadcrumbItem>
      </Breadcrumb>
      <Flex alignItems={{ default: 'alignItemsCenter' }} spaceItems={{ default: 'spaceItemsMd' }} className="domus-guest-header">
        <FlexItem>
          <Title headingLevel="h1">{guest.name}</Title>
        </FlexItem>
        <FlexItem>
          <GuestStateLabel state={guest.state} />
        </FlexItem>
        <FlexItem>
          <GuestActions guest={guest} busy={busy.has(guest.id)} onAction={(a) => request(a, [guest])} />
        </FlexItem>
        {guestActions.map((a) => (
          <FlexItem key={a.id}>{a.render(ext)}</FlexItem>
        ))}
      </Flex>
      <SavedStates hostId={hostId} guest={guest} />
      <KeyboardTabs activeKey={tab} onSelect={(_e, k) => setTab(String(k))} aria-label={t('lifecycle.page.tabs')} mountOnEnter unmountOnExit>
        {tabs}
      </KeyboardTabs>
      {dialogs}
    </section>
  );
}

function GuestOverview({ hostId, guest }: { hostId: string; guest: Guest }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const client = useClient();
  const nav = useGuestNavigation();
  const [details, setDetails] = useState<GuestDetails | null>(null);
  const [autoBusy, setAutoBusy] = useState(false);
  // Bumped when an autostart change ends: the details are read once, after it.
  const [reread, setReread] = useState(0);
  const dash = t('common.none');
  // Re-read when the guest starts or stops (domid changes), not on every stats tick.
  useEffect(() => {
    let live = true;
    client.call('guests.details', { hostId, guestId: guest.id }).then(
      (d) => live && setDetails(d),
      (x: unknown) => live && nav?.notify(toClientError(x)),
    );
    return () => {
      live = false;
    };
  }, [client, hostId, guest.id, guest.domid, guest.state === 'shut off', nav, reread]);

  const setAutostart = (on: boolean) => {
    setAutoBusy(true);
    client
      .call('guests.setAutostart', { hostId, guestId: guest.id, enabled: on })
      .catch((x: unknown) => nav?.notify(toClientError(x)))
      .finally(() => {
        setAutoBusy(false);
        setReread((n) => n + 1);
      });
  };

  const row = (key: string, value: React.ReactNode) => (
    <DescriptionListGroup key={key}>
      <DescriptionListTerm>{t(`lifecycle.overview.${key}`)}</DescriptionListTerm>
      <DescriptionListDescription>{value}</DescriptionListDescription>
    </DescriptionListGroup>
  );
  const type = guest.type ?? details?.type ?? null;
  return (
    <DescriptionList isHorizontal isCompact aria-label={t('lifecycle.overview.label')} className="domus-tab-body">
      {row('state', <GuestStateLabel state={guest.state} />)}
      {row('type', type ? t(`guestType.${type}`) : dash)}
      {row('uptime', details?.uptimeSeconds != null ? formatUptime(details.uptimeSeconds) : dash)}
      {row('vcpus', guest.domid === null ? dash : formatInteger(lng, guest.vcpus))}
      {row('memory', guest.domid === null ? dash : `${formatMiB(t, lng, guest.memoryMiB)}${guest.maxMemoryMiB ? ` / ${formatMiB(t, lng, guest.maxMemoryMiB)}` : ''}`)}
      {row(
        'disks',
        details?.disks.length ? (
          <ul>
            {details.disks.map((d) => (
              <li key={d.target}>
                <code>{d.target}</code> {[d.vdev, d.format, d.sizeBytes !== null ? formatByteSize(t, lng, d.sizeBytes) : null].filter(Boolean).join(' · ')}
              </li>
            ))}
          </ul>
        ) : dash,
      )}
      {row(
        'nics',
        details?.nics.length ? (
          <ul>
            {details.nics.map((n, i) => (
              <li key={i}>{[n.bridge, n.mac].filter(Boolean).join(' · ') || dash}</li>
            ))}
          </ul>
        ) : dash,
      )}
      {row('pci', guest.pci.length ? guest.pci.join(', ') : dash)}
      {row('config', guest.configPath ? <code>{guest.configPath}</code> : dash)}
      {row(
        'autostart',
        guest.configPath ? (
          <Switch
            id="lc-autostart"
            aria-label={t('lifecycle.overview.autostartSwitch', { name: guest.name })}
            isChecked={details?.autostart ?? false}
            isDisabled={!details || autoBusy}
            onChange={(_e, on) => setAutostart(on)}
          />
        ) : dash,
      )}
      {row('domid', guest.domid === null ? dash : formatInteger(lng, guest.domid))}
      {row('uuid', guest.uuid ? <code>{guest.uuid}</code> : dash)}
    </DescriptionList>
  );
}

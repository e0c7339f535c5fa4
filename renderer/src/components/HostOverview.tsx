import {
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  ExpandableSection,
  Flex,
  FlexItem,
  Label,
  Progress,
  ProgressMeasureLocation,
  Skeleton,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { Alert } from './Alert';
import CheckCircleIcon from '@patternfly/react-icons/dist/esm/icons/check-circle-icon';
import TimesCircleIcon from '@patternfly/react-icons/dist/esm/icons/times-circle-icon';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostInfo, HostSummary } from '../../../electron/api/hosts';
import { formatInteger, formatMhz, formatMiB, formatPercent } from '../format';
import { useStore } from '../state/context';
import { ConnectionStateLabel } from './ConnectionStateLabel';

const CAPS = ['pv', 'pvh', 'hvm', 'passthrough'] as const;

function Capabilities({ info }: { info: HostInfo }) {
  const { t } = useTranslation();
  return (
    <ul className="domus-caps" aria-label={t('overview.capabilities')}>
      {CAPS.map((c) => {
        const on = info.capabilities[c];
        return (
          <li key={c} className="domus-cap">
            <Label isCompact color={on ? 'green' : 'grey'} icon={on ? <CheckCircleIcon /> : <TimesCircleIcon />} data-capability={c} data-available={on}>
              {t(on ? 'caps.available' : 'caps.unavailable', { name: t(`caps.${c}.name`) })}
            </Label>
            <span className="domus-cap-help">{t(`caps.${c}.help`)}</span>
          </li>
        );
      })}
    </ul>
  );
}

function Facts({ info }: { info: HostInfo }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const used = Math.max(0, info.totalMemoryMiB - info.freeMemoryMiB);
  const usedPct = info.totalMemoryMiB > 0 ? (used / info.totalMemoryMiB) * 100 : 0;
  return (
    <DescriptionList isCompact columnModifier={{ default: '1Col', lg: '2Col' }} aria-label={t('overview.factsLabel')}>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('overview.xenVersion')}</DescriptionListTerm>
        <DescriptionListDescription>{info.xenVersion}</DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('overview.hostname')}</DescriptionListTerm>
        <DescriptionListDescription>{info.hostname}</DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('overview.cpus')}</DescriptionListTerm>
        <DescriptionListDescription>
          {info.cpuMhz
            ? t('overview.cpusWithMhz', { count: info.nrCpus, cpus: formatInteger(lng, info.nrCpus), mhz: formatMhz(t, lng, info.cpuMhz) })
            : t('overview.cpusValue', { count: info.nrCpus, cpus: formatInteger(lng, info.nrCpus) })}
        </DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('overview.scheduler')}</DescriptionListTerm>
        <DescriptionListDescription>{info.scheduler}</DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('overview.toolstack')}</DescriptionListTerm>
        <DescriptionListDescription>{info.toolstack}</DescriptionListDescription>
      </DescriptionListGroup>
      {info.dom0Kernel && (
        <DescriptionListGroup>
          <DescriptionListTerm>{t('overview.dom0Kernel')}</DescriptionListTerm>
          <DescriptionListDescription>{info.dom0Kernel}</DescriptionListDescription>
        </DescriptionListGroup>
      )}
      <DescriptionListGroup>
        <DescriptionListTerm>{t('overview.memory')}</DescriptionListTerm>
        <DescriptionListDescription>
          <Progress
            value={usedPct}
            title={t('overview.memoryUsed', {
              used: formatMiB(t, lng, used),
              total: formatMiB(t, lng, info.totalMemoryMiB),
            })}
            label={t('overview.memoryFree', { free: formatMiB(t, lng, info.freeMemoryMiB), percent: formatPercent(lng, usedPct) })}
            measureLocation={ProgressMeasureLocation.outside}
            aria-label={t('overview.memory')}
            size="sm"
          />
        </DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('overview.capabilities')}</DescriptionListTerm>
        <DescriptionListDescription>
          <Capabilities info={info} />
        </DescriptionListDescription>
      </DescriptionListGroup>
    </DescriptionList>
  );
}

function StateReason({ host }: { host: HostSummary }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!host.reason || (host.state !== 'failed' && host.state !== 'reconnecting')) return null;
  return (
    <Alert isInline variant={host.state === 'failed' ? 'danger' : 'warning'} title={host.reason} className="domus-gap">
      {host.detail && (
        <ExpandableSection toggleText={open ? t('errors.hideDetails') : t('errors.showDetails')} isExpanded={open} onToggle={(_e, v) => setOpen(v)}>
          <pre className="domus-mono domus-detail" aria-label={t('errors.rawDetail')}>
            {host.detail}
          </pre>
        </ExpandableSection>
      )}
    </Alert>
  );
}

/** One line of what the host is: Xen version, CPUs, memory in use; the rest is behind "Details". */
function Summary({ info }: { info: HostInfo }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const used = Math.max(0, info.totalMemoryMiB - info.freeMemoryMiB);
  return (
    <ul className="domus-host-summary" aria-label={t('overview.summaryLabel')}>
      <li>
        <span className="domus-muted">{t('overview.xenShort')}</span> <span>{info.xenVersion}</span>
      </li>
      <li>{t('overview.cpusValue', { count: info.nrCpus, cpus: formatInteger(lng, info.nrCpus) })}</li>
      <li>{t('overview.memoryUsed', { used: formatMiB(t, lng, used), total: formatMiB(t, lng, info.totalMemoryMiB) })}</li>
    </ul>
  );
}

/**
 * The host's name, connection and actions in one or two lines above its views: the guest table
 * is what an admin opens the app for, so it owns the page; the host's facts open on demand.
 */
export function HostOverview({
  hostId,
  onConnect,
  onDisconnect,
  onRemove,
  onReviewKey,
  onEdit,
}: {
  hostId: string;
  onConnect: () => void;
  onDisconnect: () => void;
  onRemove: () => void;
  onReviewKey: () => void;
  onEdit?: () => void;
}) {
  const { t } = useTranslation();
  const host = useStore((s) => s.hosts.find((h) => h.id === hostId));
  const info = useStore((s) => s.info.get(hostId));
  const [details, setDetails] = useState(false);
  if (!host) return null;
  const canConnect = host.state === 'disconnected' || host.state === 'failed' || host.state === 'awaitingKey';
  const where = host.kind === 'local' ? t('overview.local') : `${host.user ? `${host.user}@` : ''}${host.address ?? ''}${host.port && host.port !== 22 ? `:${host.port}` : ''}`;

  return (
    <section aria-labelledby="host-overview-title" className="domus-host-overview">
      <Flex alignItems={{ default: 'alignItemsCenter' }} spaceItems={{ default: 'spaceItemsMd' }} rowGap={{ default: 'rowGapXs' }}>
        <FlexItem>
          <Title headingLevel="h1" size="xl" id="host-overview-title">
            {host.name}
          </Title>
        </FlexItem>
        <FlexItem>
          <span className="domus-muted">{where}</span>
        </FlexItem>
        <FlexItem aria-label={t('overview.connectionState')} role="status">
          <ConnectionStateLabel host={host} />
        </FlexItem>
        <FlexItem>
          {info ? (
            <Summary info={info} />
          ) : host.state === 'connected' && info === undefined ? (
            <Skeleton screenreaderText={t('overview.loading')} width="12rem" />
          ) : (
            <span className="domus-muted">{t('overview.noInfo')}</span>
          )}
        </FlexItem>
        <FlexItem align={{ default: 'alignRight' }}>
          <Toolbar aria-label={t('overview.actions')} className="domus-tight" inset={{ default: 'insetNone' }}>
            <ToolbarContent>
              <ToolbarGroup>
                {info && (
                  <ToolbarItem>
                    <Button variant="link" size="sm" aria-expanded={details} aria-controls="host-details" onClick={() => setDetails((d) => !d)}>
                      {details ? t('overview.hideDetails') : t('overview.showDetails')}
                    </Button>
                  </ToolbarItem>
                )}
                {canConnect ? (
                  <ToolbarItem>
                    <Button variant="primary" size="sm" onClick={onConnect} aria-keyshortcuts="C">
                      {t('overview.connect')}
                    </Button>
                  </ToolbarItem>
                ) : (
                  <ToolbarItem>
                    <Button variant="secondary" size="sm" onClick={onDisconnect} aria-keyshortcuts="D">
                      {t('overview.disconnect')}
                    </Button>
                  </ToolbarItem>
                )}
                {onEdit && (
                  <ToolbarItem>
                    <Button variant="secondary" size="sm" onClick={onEdit}>
                      {t('overview.edit')}
                    </Button>
                  </ToolbarItem>
                )}
                <ToolbarItem>
                  <Button variant="secondary" size="sm" isDanger onClick={onRemove} aria-keyshortcuts="Delete">
                    {t('overview.remove')}
                  </Button>
                </ToolbarItem>
              </ToolbarGroup>
            </ToolbarContent>
          </Toolbar>
        </FlexItem>
      </Flex>
      {host.hostKey && (
        <Alert
          isInline
          variant={host.hostKey.kind === 'unknown' ? 'warning' : 'danger'}
          title={t(`overview.hostKey.${host.hostKey.kind}`)}
          actionLinks={
            <Button variant="link" isInline onClick={onReviewKey}>
              {t('overview.hostKey.review')}
            </Button>
          }
          className="domus-gap"
        />
      )}
      <StateReason host={host} />
      {info && details && (
        <div id="host-details" className="domus-gap">
          <Facts info={info} />
        </div>
      )}
    </section>
  );
}

import { Button, Nav, NavItem, NavList, PageSidebar, PageSidebarBody, Content } from '@patternfly/react-core';
import PlusCircleIcon from '@patternfly/react-icons/dist/esm/icons/plus-circle-icon';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostSummary } from '../../../electron/api/hosts';
import { useStore } from '../state/context';
import { ConnectionStateLabel } from './ConnectionStateLabel';

const HostNavItem = memo(function HostNavItem({
  host,
  active,
  onSelect,
}: {
  host: HostSummary;
  active: boolean;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const reasonId = `host-reason-${host.id}`;
  const showReason = !!host.reason && (host.state === 'failed' || host.state === 'reconnecting');
  return (
    <NavItem
      itemId={host.id}
      isActive={active}
      component="button"
      onClick={() => onSelect(host.id)}
      aria-current={active ? 'page' : undefined}
      aria-describedby={showReason ? reasonId : undefined}
      data-host-id={host.id}
    >
      <span className="domus-host-item">
        <span className="domus-host-name">{host.name}</span>
        <ConnectionStateLabel host={host} compact />
      </span>
      {showReason && (
        <span id={reasonId} className="pf-v6-screen-reader">
          {t('hosts.reason', { reason: host.reason })}
        </span>
      )}
    </NavItem>
  );
});

export function HostsSidebar({
  selectedId,
  onSelect,
  onAdd,
}: {
  selectedId: string | null;
  onSelect: (id: string) => void;
  onAdd: () => void;
}) {
  const { t } = useTranslation();
  const hosts = useStore((s) => s.hosts);
  const loaded = useStore((s) => s.hostsLoaded);
  return (
    <PageSidebar>
      <PageSidebarBody>
        <Button variant="primary" icon={<PlusCircleIcon />} onClick={onAdd} isBlock aria-keyshortcuts="Control+N N">
          {t('hosts.add')}
        </Button>
      </PageSidebarBody>
      <PageSidebarBody isFilled>
        <Nav aria-label={t('hosts.navLabel')}>
          <NavList>
            {hosts.map((h) => (
              <HostNavItem key={h.id} host={h} active={h.id === selectedId} onSelect={onSelect} />
            ))}
          </NavList>
        </Nav>
        {loaded && hosts.length === 0 && (
          <Content component="p" className="domus-sidebar-empty">
            {t('hosts.none')}
          </Content>
        )}
      </PageSidebarBody>
    </PageSidebar>
  );
}

// The host view "CPU & memory": topology and NUMA nodes, cpupools, a live grid of which guest's
// vCPU runs on which pCPU (xl vcpu-list every 2 s while this view is open, stopped when it
// closes), and per-guest controls in a dialog.
import { Button, Card, CardBody, CardTitle, DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm, EmptyState, EmptyStateBody, ModalBody, ModalHeader } from '@patternfly/react-core';
import { Spinner } from '../Spinner';
import { Modal } from '../Modal';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CpuOverview, VcpuPlacement } from '../../../../electron/api/cpu';
import { useStore } from '../../state/context';
import { ErrorAlert } from '../ErrorAlert';
import { GuestCpuControls } from './GuestCpuControls';
import { PoolsCard } from './PoolsCard';
import { useCpuOverview, useVcpuPolling } from './useCpuOverview';
import { useLiveFigures } from '../../state/liveInterest';

function TopologyCard({ overview }: { overview: CpuOverview }) {
  const { t } = useTranslation();
  return (
    <Card isCompact>
      <CardTitle>{t('cpu.topology.title')}</CardTitle>
      <CardBody>
        <DescriptionList isHorizontal isCompact>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('cpu.topology.cpus')}</DescriptionListTerm>
            <DescriptionListDescription>{overview.nrCpus}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('cpu.topology.scheduler')}</DescriptionListTerm>
            <DescriptionListDescription>{overview.scheduler}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t('cpu.topology.shape')}</DescriptionListTerm>
            <DescriptionListDescription>
              {t('cpu.topology.shapeValue', { cores: overview.coresPerSocket ?? '?', threads: overview.threadsPerCore ?? '?' })}
            </DescriptionListDescription>
          </DescriptionListGroup>
        </DescriptionList>
        <Table variant="compact" aria-label={t('cpu.topology.cpuTable')}>
          <Thead>
            <Tr>
              <Th>{t('cpu.pools.cpu')}</Th>
              <Th>{t('cpu.topology.core')}</Th>
              <Th>{t('cpu.topology.socket')}</Th>
              <Th>{t('cpu.topology.node')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {overview.topology.map((c) => (
              <Tr key={c.cpu}>
                <Td>{c.cpu}</Td>
                <Td>{c.core}</Td>
                <Td>{c.socket}</Td>
                <Td>{c.node}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        <Table variant="compact" aria-label={t('cpu.topology.nodeTable')}>
          <Thead>
            <Tr>
              <Th>{t('cpu.topology.node')}</Th>
              <Th>{t('cpu.topology.nodeCpus')}</Th>
              <Th>{t('cpu.topology.memsize')}</Th>
              <Th>{t('cpu.topology.memfree')}</Th>
              <Th>{t('cpu.topology.distances')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {overview.nodes.map((n) => (
              <Tr key={n.node}>
                <Td>{n.node}</Td>
                <Td>{n.cpus.join(', ')}</Td>
                <Td>{t('cpu.mib', { value: n.memsizeMiB })}</Td>
                <Td>{t('cpu.mib', { value: n.memfreeMiB })}</Td>
                <Td>{n.distances.join(', ')}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </CardBody>
    </Card>
  );
}

function VcpuGrid({ cpus, vcpus }: { cpus: number[]; vcpus: VcpuPlacement[] }) {
  const { t } = useTranslation();
  return (
    <Table variant="compact" role="table" aria-label={t('cpu.grid.title')}>
      <Thead>
        <Tr>
          <Th>{t('cpu.grid.guest')}</Th>
          <Th>{t('cpu.guest.vcpu')}</Th>
          {cpus.map((c) => (
            <Th key={c}>{t('cpu.pcpu', { cpu: c })}</Th>
          ))}
          <Th>{t('cpu.grid.affinity')}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {vcpus.map((v) => (
          <Tr key={`${v.domid}-${v.vcpu}`} aria-label={t('cpu.grid.row', { name: v.name, vcpu: v.vcpu })}>
            <Td>{v.name}</Td>
            <Td>{v.vcpu}</Td>
            {cpus.map((c) => (
              <Td key={c} className={v.cpu === c ? (v.running ? 'domus-cpu-on domus-cpu-running' : 'domus-cpu-on') : undefined}>
                {v.cpu === c ? (v.running ? t('cpu.grid.running') : v.blocked ? t('cpu.grid.blocked') : t('cpu.grid.here')) : ''}
              </Td>
            ))}
            <Td>
              {v.offline
                ? t('cpu.grid.offline')
                : t('cpu.grid.affinityValue', { hard: v.hard === 'all' ? t('cpu.all') : (v.hard ?? []).join(','), soft: v.soft === 'all' ? t('cpu.all') : (v.soft ?? []).join(',') })}
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function CpuView({ hostId, connected }: { hostId: string; connected: boolean }) {
  const { t } = useTranslation();
  useLiveFigures(connected ? hostId : null);
  const { overview, error, reload } = useCpuOverview(hostId, connected);
  const { vcpus, error: vcpuError } = useVcpuPolling(hostId, connected);
  const guests = useStore((s) => s.guests.get(hostId));
  const [editing, setEditing] = useState<string | null>(null);
  if (!connected) {
    return (
      <EmptyState titleText={t('cpu.notConnected')} headingLevel="h3">
        <EmptyStateBody>{t('cpu.notConnectedBody')}</EmptyStateBody>
      </EmptyState>
    );
  }
  if (error && !overview) return <ErrorAlert error={error} />;
  if (!overview) return <Spinner aria-label={t('cpu.loading')} />;
  const cpus = overview.topology.map((c) => c.cpu);
  const configOf = (name: string) => [...(guests?.values() ?? [])].find((g) => g.name === name)?.configPath ?? null;
  const stopped = [...(guests?.values() ?? [])].filter((g) => g.domid === null && g.configPath && !overview.domains.some((d) => d.name === g.name));

  return (
    <div className="domus-cpu-view" aria-label={t('cpu.title')} role="region">
      {error && <ErrorAlert error={error} />}
      <TopologyCard overview={overview} />
      <PoolsCard hostId={hostId} overview={overview} onChanged={() => void reload()} />
      <Card isCompact>
        <CardTitle>{t('cpu.grid.title')}</CardTitle>
        <CardBody>
          <p className="domus-muted">{t('cpu.grid.help')}</p>
          {vcpuError && <ErrorAlert error={vcpuError} />}
          {vcpus ? <VcpuGrid cpus={cpus} vcpus={vcpus} /> : <Spinner size="md" aria-label={t('cpu.loading')} />}
        </CardBody>
      </Card>
      <Card isCompact>
        <CardTitle>{t('cpu.guests.title')}</CardTitle>
        <CardBody>
          <Table variant="compact" aria-label={t('cpu.guests.table')}>
            <Thead>
              <Tr>
                <Th>{t('cpu.grid.guest')}</Th>
                <Th>{t('cpu.guests.pool')}</Th>
                <Th>{t('cpu.guests.vcpus')}</Th>
                <Th>{t('cpu.guests.memory')}</Th>
                <Th>{t('cpu.guest.weight')}</Th>
                <Th>{t('cpu.guest.cap')}</Th>
                <Th screenReaderText={t('cpu.pools.actions')} />
              </Tr>
            </Thead>
            <Tbody>
              {overview.domains.map((d) => (
                <Tr key={d.name}>
                  <Td>{d.name}</Td>
                  <Td>{d.pool}</Td>
                  <Td>{t('cpu.guests.vcpuValue', { online: d.onlineVcpus, max: d.maxVcpus ?? '?' })}</Td>
                  <Td>{t('cpu.guests.memValue', { target: d.memoryMiB ?? '?', max: d.maxMemoryMiB ?? '?' })}</Td>
                  <Td>{d.weight ?? '–'}</Td>
                  <Td>{d.cap ?? '–'}</Td>
                  <Td>
                    <Button variant="secondary" size="sm" aria-label={t('cpu.guests.configureNamed', { name: d.name })} onClick={() => setEditing(d.name)}>
                      {t('cpu.guests.configure')}
                    </Button>
                  </Td>
                </Tr>
              ))}
              {stopped.map((g) => (
                <Tr key={g.id}>
                  <Td>{g.name}</Td>
                  <Td colSpan={5}>{t('cpu.guests.stopped')}</Td>
                  <Td>
                    <Button variant="secondary" size="sm" aria-label={t('cpu.guests.configureNamed', { name: g.name })} onClick={() => setEditing(g.name)}>
                      {t('cpu.guests.configure')}
                    </Button>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </CardBody>
      </Card>
      {editing && (
        <Modal variant="large" isOpen onClose={() => setEditing(null)} aria-labelledby="cpu-guest-title">
          <ModalHeader title={t('cpu.guest.title', { name: editing })} labelId="cpu-guest-title" />
          <ModalBody>
            <GuestCpuControls
              hostId={hostId}
              guestName={editing}
              overview={overview}
              placements={vcpus ?? []}
              hasConfig={configOf(editing) !== null}
              onChanged={() => void reload()}
            />
          </ModalBody>
        </Modal>
      )}
    </div>
  );
}

/** The guest page's CPU tab: the same controls for one guest. */
export function GuestCpuTab({ hostId, guestName, connected, hasConfig }: { hostId: string; guestName: string; connected: boolean; hasConfig: boolean }) {
  const { t } = useTranslation();
  const { overview, error, reload } = useCpuOverview(hostId, connected);
  const { vcpus } = useVcpuPolling(hostId, connected);
  if (error && !overview) return <ErrorAlert error={error} />;
  if (!overview) return <Spinner aria-label={t('cpu.loading')} />;
  return (
    <GuestCpuControls
      key={guestName}
      hostId={hostId}
      guestName={guestName}
      overview={overview}
      placements={vcpus ?? []}
      hasConfig={hasConfig}
      onChanged={() => void reload()}
    />
  );
}

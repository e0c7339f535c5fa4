// CPU, memory, network and disk of one guest over the last minutes. The history comes from the
// backend at once (metrics.guest), then refreshes each second while the tab is open.
import { Grid, GridItem } from '@patternfly/react-core';
import { Alert } from '../Alert';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guest } from '../../../../electron/api/guests';
import type { GuestSeries, HostSeries } from '../../../../electron/api/lifecycle';
import { useClient } from '../../api/context';
import { TimeChart } from './TimeChart';
import { useLiveFigures } from '../../state/liveInterest';

function usePolled<T>(load: () => Promise<T>, deps: unknown[]): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let live = true;
    const tick = () => load().then((v) => live && setValue(v), () => undefined);
    tick();
    const timer = setInterval(tick, 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}

export function GuestGraphs({ hostId, guest }: { hostId: string; guest: Guest }) {
  const { t } = useTranslation();
  const client = useClient();
  const s = usePolled<GuestSeries>(() => client.call('metrics.guest', { hostId, guestId: guest.id }), [client, hostId, guest.id]);
  if (!s || s.t.length === 0) {
    return (
      <Alert variant="info" isInline isPlain title={guest.domid === null ? t('lifecycle.graphs.notRunning') : t('lifecycle.graphs.waiting')} className="domus-tab-body" />
    );
  }
  return (
    <Grid hasGutter className="domus-tab-body" aria-label={t('lifecycle.graphs.label', { name: guest.name })}>
      <GridItem md={6}>
        <TimeChart title={t('lifecycle.graphs.cpu')} ariaLabel={t('lifecycle.graphs.cpu')} t={s.t} unit="%" series={[{ label: t('lifecycle.graphs.cpu'), color: '#0066cc', values: s.cpuPercent }]} />
      </GridItem>
      <GridItem md={6}>
        <TimeChart title={t('lifecycle.graphs.memory')} ariaLabel={t('lifecycle.graphs.memory')} t={s.t} unit="MiB" series={[{ label: t('lifecycle.graphs.memory'), color: '#3e8635', values: s.memoryMiB }]} />
      </GridItem>
      <GridItem md={6}>
        <TimeChart
          title={t('lifecycle.graphs.network')}
          ariaLabel={t('lifecycle.graphs.network')}
          t={s.t}
          unit="KiB/s"
          series={[
            { label: t('lifecycle.graphs.rx'), color: '#5752d1', values: s.netRxKiBs },
            { label: t('lifecycle.graphs.tx'), color: '#ec7a08', values: s.netTxKiBs },
          ]}
        />
      </GridItem>
      <GridItem md={6}>
        <TimeChart
          title={t('lifecycle.graphs.disk')}
          ariaLabel={t('lifecycle.graphs.disk')}
          t={s.t}
          unit="/s"
          series={[
            { label: t('lifecycle.graphs.reads'), color: '#009596', values: s.diskReadsPs },
            { label: t('lifecycle.graphs.writes'), color: '#c9190b', values: s.diskWritesPs },
          ]}
        />
      </GridItem>
    </Grid>
  );
}

/** Colours of the per-physical-CPU series, repeated when a host has more CPUs. */
const PCPU_COLORS = ['#0066cc', '#c9190b', '#3e8635', '#ec7a08', '#5752d1', '#009596', '#f0ab00', '#6a6e73'];

/** The host's page: CPU (all domains together), memory held by domains, and each physical CPU. */
export function HostGraphs({ hostId, connected }: { hostId: string; connected: boolean }) {
  useLiveFigures(connected ? hostId : null);
  const { t } = useTranslation();
  const client = useClient();
  const s = usePolled<HostSeries>(() => client.call('metrics.host', { hostId }), [client, hostId, connected]);
  const pcpuSeries = useMemo(
    () => (s?.pcpuPercent ?? []).map((values, i) => ({ label: t('lifecycle.graphs.pcpuSeries', { n: i }), color: PCPU_COLORS[i % PCPU_COLORS.length], values })),
    [s, t],
  );
  if (!s || s.t.length === 0) return <Alert variant="info" isInline isPlain title={t('lifecycle.graphs.waiting')} className="domus-tab-body" />;
  const cpuUnit = s.nrCpus ? `% / ${s.nrCpus * 100}` : '%';
  // The per-CPU stream starts a moment after the inventory; only after some seconds without a
  // sample does the host count as one that cannot report it.
  const pcpuMissing = s.pcpuT.length === 0;
  return (
    <Grid hasGutter className="domus-tab-body" aria-label={t('lifecycle.graphs.hostLabel')}>
      <GridItem md={6}>
        <TimeChart title={t('lifecycle.graphs.hostCpu')} ariaLabel={t('lifecycle.graphs.hostCpu')} t={s.t} unit={cpuUnit} series={[{ label: t('lifecycle.graphs.cpu'), color: '#0066cc', values: s.cpuPercent }]} />
      </GridItem>
      <GridItem md={6}>
        <TimeChart title={t('lifecycle.graphs.hostMemory')} ariaLabel={t('lifecycle.graphs.hostMemory')} t={s.t} unit="MiB" series={[{ label: t('lifecycle.graphs.used'), color: '#3e8635', values: s.usedMiB }]} />
      </GridItem>
      <GridItem md={12}>
        {!pcpuMissing ? (
          <TimeChart title={t('lifecycle.graphs.pcpu')} ariaLabel={t('lifecycle.graphs.pcpu')} t={s.pcpuT} unit="%" range={[0, 100]} series={pcpuSeries} />
        ) : (
          <Alert variant="info" isInline isPlain title={s.t.length < 10 ? t('lifecycle.graphs.waiting') : t('lifecycle.graphs.pcpuNone')} />
        )}
      </GridItem>
    </Grid>
  );
}

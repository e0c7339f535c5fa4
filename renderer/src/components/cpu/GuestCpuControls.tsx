// Per-guest CPU and memory controls: weight/cap with the pool's scheduler, vCPU count, memory
// target, pool, and hard/soft pinning as a grid of vCPUs × physical CPUs. Used in the CPU view
// (a dialog per guest) and as the guest page's CPU tab.
import { Checkbox, FormGroup, FormHelperText, FormSelect, FormSelectOption, HelperText, HelperTextItem, TextInput } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigAffinity, CpuDomain, CpuOverview, VcpuPlacement } from '../../../../electron/api/cpu';
import { useClient } from '../../api/context';
import { ChangeSection } from './ChangeSection';

type Aff = 'all' | number[];

/** "0-3,6" for [0,1,2,3,6]. */
function rangeText(cpus: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < cpus.length; i++) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j] + 1) j++;
    out.push(j > i ? `${cpus[i]}-${cpus[j]}` : String(cpus[i]));
    i = j;
  }
  return out.join(',');
}

function toChecks(a: Aff | null | undefined, cpus: number[]): Set<number> {
  return new Set(!a || a === 'all' ? cpus : a);
}

export function GuestCpuControls({
  hostId,
  guestName,
  overview,
  placements,
  hasConfig,
  onChanged,
}: {
  hostId: string;
  guestName: string;
  overview: CpuOverview;
  placements: VcpuPlacement[];
  hasConfig: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const dom: CpuDomain | null = overview.domains.find((d) => d.name === guestName) ?? null;
  const running = dom !== null;
  const pool = overview.pools.find((p) => p.name === (dom?.pool ?? 'Pool-0')) ?? null;
  const schedCmd = pool?.sched === 'credit' ? 'xl sched-credit' : pool?.sched === 'credit2' ? 'xl sched-credit2' : null;
  const allCpus = overview.topology.map((c) => c.cpu);
  const poolCpus = pool?.cpus ?? allCpus;
  const mine = placements.filter((p) => p.name === guestName).sort((a, b) => a.vcpu - b.vcpu);
  const vcpuCount = dom?.maxVcpus ?? Math.max(mine.length, 1);

  const [weight, setWeight] = useState(String(dom?.weight ?? 256));
  const [cap, setCap] = useState(String(dom?.cap ?? 0));
  const [count, setCount] = useState(String(dom?.onlineVcpus || vcpuCount));
  const [mem, setMem] = useState(String(dom?.memoryMiB ?? ''));
  const [toPool, setToPool] = useState(dom?.pool ?? 'Pool-0');
  const initialPins = useMemo(
    () => ({
      hard: [...Array(vcpuCount).keys()].map((v) => toChecks(mine.find((p) => p.vcpu === v)?.hard, poolCpus)),
      soft: [...Array(vcpuCount).keys()].map((v) => toChecks(mine.find((p) => p.vcpu === v)?.soft, poolCpus)),
    }),
    // Only when the guest or its vCPU count changes: live placement updates must not reset edits.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [guestName, vcpuCount, pool?.name],
  );
  const [pins, setPins] = useState(initialPins);
  // What a hand-written cpus=/cpus_soft= in the config means on this host (xl's syntax).
  const [cfgAff, setCfgAff] = useState<ConfigAffinity | null>(null);
  useEffect(() => {
    if (!hasConfig) return;
    let live = true;
    client.call('cpu.configAffinity', { hostId, guest: guestName }).then(
      (a) => live && setCfgAff(a),
      () => live && setCfgAff(null),
    );
    return () => {
      live = false;
    };
  }, [client, hostId, guestName, hasConfig]);
  const affMeaning = (per: (number[] | null)[]) => {
    const given = per.map((c, v) => (c ? { v, text: c.length ? rangeText(c) : t('cpu.guest.cfgNone') } : null)).filter((x) => x !== null);
    if (given.length === per.length && given.every((g) => g.text === given[0].text)) return t('cpu.guest.cfgEveryVcpu', { cpus: given[0]?.text ?? '' });
    return given.map((g) => t('cpu.guest.cfgOneVcpu', { vcpu: g.v, cpus: g.text })).join('; ');
  };

  const int = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : NaN);
  const weightN = int(weight);
  const capN = int(cap);
  const countN = int(count);
  const memN = int(mem);
  const weightOk = weightN >= 1 && weightN <= 65535;
  const capOk = capN >= 0 && capN <= 100 * vcpuCount;
  const countOk = countN >= 1 && (dom?.maxVcpus == null || countN <= dom.maxVcpus);
  const memOk = memN >= 32 && (dom?.maxMemoryMiB == null || memN <= dom.maxMemoryMiB);
  const pinsOk = pins.hard.every((s) => s.size > 0) && pins.soft.every((s) => s.size > 0);

  const done = <T,>(p: Promise<T>) =>
    p.then((r) => {
      onChanged();
      return r;
    });
  const asAff = (s: Set<number>): Aff => (poolCpus.every((c) => s.has(c)) && s.size === poolCpus.length ? 'all' : [...s].sort((a, b) => a - b));
  const toggle = (kind: 'hard' | 'soft', v: number, c: number, on: boolean) =>
    setPins((prev) => {
      const next = { ...prev, [kind]: prev[kind].map((s, i) => (i === v ? new Set(s) : s)) };
      if (on) next[kind][v].add(c);
      else next[kind][v].delete(c);
      return next;
    });
  const err = (ok: boolean, key: string, vars?: Record<string, unknown>) =>
    ok ? null : (
      <FormHelperText>
        <HelperText>
          <HelperTextItem variant="error">{t(key, vars)}</HelperTextItem>
        </HelperText>
      </FormHelperText>
    );

  return (
    <div className="domus-cpu-guest" aria-label={t('cpu.guest.controlsOf', { name: guestName })} role="region">
      <ChangeSection
        id={`sched-${guestName}`}
        title={t('cpu.guest.sched')}
        running={running}
        hasConfig={hasConfig}
        disabled={!weightOk || !capOk}
        onApply={(apply) => done(client.call('cpu.setSched', { hostId, guest: guestName, apply, weight: weightN, cap: capN }))}
      >
        <p className="domus-muted">
          {schedCmd ? t('cpu.guest.schedVia', { pool: pool?.name, sched: pool?.sched, command: schedCmd }) : t('cpu.guest.schedNone')}
        </p>
        <FormGroup label={t('cpu.guest.weight')} fieldId={`w-${guestName}`}>
          <TextInput id={`w-${guestName}`} aria-label={t('cpu.guest.weight')} type="number" value={weight} onChange={(_e, v) => setWeight(v)} validated={weightOk ? 'default' : 'error'} />
          {err(weightOk, 'cpu.guest.weightRange')}
        </FormGroup>
        <FormGroup label={t('cpu.guest.cap')} fieldId={`c-${guestName}`}>
          <TextInput id={`c-${guestName}`} aria-label={t('cpu.guest.cap')} type="number" value={cap} onChange={(_e, v) => setCap(v)} validated={capOk ? 'default' : 'error'} />
          {err(capOk, 'cpu.guest.capRange', { max: 100 * vcpuCount })}
        </FormGroup>
      </ChangeSection>

      <ChangeSection
        id={`vcpus-${guestName}`}
        title={t('cpu.guest.vcpus')}
        running={running}
        hasConfig={hasConfig}
        disabled={!countOk}
        onApply={(apply) => done(client.call('cpu.setVcpus', { hostId, guest: guestName, apply, count: countN }))}
      >
        <FormGroup label={t('cpu.guest.vcpuCount')} fieldId={`n-${guestName}`}>
          <TextInput id={`n-${guestName}`} aria-label={t('cpu.guest.vcpuCount')} type="number" value={count} onChange={(_e, v) => setCount(v)} validated={countOk ? 'default' : 'error'} />
          {err(countOk, 'cpu.guest.vcpuRange', { max: dom?.maxVcpus ?? '?' })}
        </FormGroup>
      </ChangeSection>

      <ChangeSection
        id={`mem-${guestName}`}
        title={t('cpu.guest.memory')}
        running={running}
        hasConfig={hasConfig}
        disabled={!memOk}
        onApply={(apply) => done(client.call('cpu.setMemory', { hostId, guest: guestName, apply, targetMiB: memN }))}
      >
        <FormGroup label={t('cpu.guest.memTarget')} fieldId={`m-${guestName}`}>
          <TextInput id={`m-${guestName}`} aria-label={t('cpu.guest.memTarget')} type="number" value={mem} onChange={(_e, v) => setMem(v)} validated={memOk ? 'default' : 'error'} />
          {err(memOk, 'cpu.guest.memRange', { max: dom?.maxMemoryMiB ?? '?' })}
        </FormGroup>
      </ChangeSection>

      <ChangeSection
        id={`pool-${guestName}`}
        title={t('cpu.guest.pool')}
        running={running}
        hasConfig={hasConfig}
        onApply={(apply) => done(client.call('cpu.movePool', { hostId, guest: guestName, apply, pool: toPool }))}
      >
        <FormGroup label={t('cpu.guest.poolTarget')} fieldId={`p-${guestName}`}>
          <FormSelect id={`p-${guestName}`} aria-label={t('cpu.guest.poolTarget')} value={toPool} onChange={(_e, v) => setToPool(v)}>
            {overview.pools.map((p) => (
              <FormSelectOption key={p.name} value={p.name} label={`${p.name} (${p.sched})`} />
            ))}
          </FormSelect>
        </FormGroup>
      </ChangeSection>

      <ChangeSection
        id={`pin-${guestName}`}
        title={t('cpu.guest.pinning')}
        running={running}
        hasConfig={hasConfig}
        disabled={!pinsOk}
        onApply={(apply) =>
          done(client.call('cpu.setPinning', { hostId, guest: guestName, apply, hard: pins.hard.map(asAff), soft: pins.soft.map(asAff) }))
        }
      >
        <p className="domus-muted">{t('cpu.guest.pinningHelp', { pool: pool?.name ?? 'Pool-0' })}</p>
        {(['hard', 'soft'] as const).map((kind) => {
          const k = cfgAff?.[kind];
          if (!k) return null;
          return (
            <p key={kind} className="domus-muted" data-testid={`cfg-affinity-${kind}`}>
              {t('cpu.guest.cfgAffinity', { key: kind === 'hard' ? 'cpus' : 'cpus_soft', text: k.text, meaning: k.error ?? affMeaning(k.perVcpu) })}
            </p>
          );
        })}
        <Table variant="compact" aria-label={t('cpu.guest.pinGrid', { name: guestName })}>
          <Thead>
            <Tr>
              <Th>{t('cpu.guest.vcpu')}</Th>
              {allCpus.map((c) => (
                <Th key={c}>{t('cpu.pcpu', { cpu: c })}</Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {[...Array(vcpuCount).keys()].map((v) => (
              <Tr key={v}>
                <Td>{v}</Td>
                {allCpus.map((c) => (
                  <Td key={c}>
                    {(['hard', 'soft'] as const).map((kind) => (
                      <Checkbox
                        key={kind}
                        id={`pin-${guestName}-${kind}-${v}-${c}`}
                        label={t(`cpu.guest.${kind}`)}
                        aria-label={t('cpu.guest.pinCell', { kind: t(`cpu.guest.${kind}`), vcpu: v, cpu: c })}
                        isChecked={pins[kind][v]?.has(c) ?? false}
                        isDisabled={!poolCpus.includes(c)}
                        onChange={(_e, on) => toggle(kind, v, c, on)}
                      />
                    ))}
                  </Td>
                ))}
              </Tr>
            ))}
          </Tbody>
        </Table>
        {err(pinsOk, 'cpu.guest.pinNeedOne')}
      </ChangeSection>
    </div>
  );
}

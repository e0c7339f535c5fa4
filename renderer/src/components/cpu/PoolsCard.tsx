// Cpupools: each with its scheduler and CPUs; create (with scheduler choice), destroy (asks first,
// names what happens to its CPUs), move a pCPU between pools; and the NUMA split helper.
import {
  Button,
  Card,
  CardBody,
  CardTitle,
  Checkbox,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Label,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextInput,
} from '@patternfly/react-core';
import { Modal } from '../Modal';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CpuOverview } from '../../../../electron/api/cpu';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { ErrorAlert } from '../ErrorAlert';

const SCHEDULERS = ['credit2', 'credit', 'rtds', 'null'] as const;
type Sched = (typeof SCHEDULERS)[number];
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function PoolsCard({ hostId, overview, onChanged }: { hostId: string; overview: CpuOverview; onChanged: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [error, setError] = useState<ApiClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');
  const [sched, setSched] = useState<Sched>('credit');
  const [cpus, setCpus] = useState<Set<number>>(new Set());
  const [destroying, setDestroying] = useState<string | null>(null);
  const allCpus = overview.topology.map((c) => c.cpu);
  const poolOf = (c: number) => overview.pools.find((p) => p.cpus.includes(c))?.name ?? null;

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (e) {
      setError(toClientError(e));
    } finally {
      setBusy(false);
    }
  };
  const nameOk = NAME_RE.test(name) && !overview.pools.some((p) => p.name === name);
  const destroyPool = overview.pools.find((p) => p.name === destroying);

  return (
    <Card isCompact>
      <CardTitle>{t('cpu.pools.title')}</CardTitle>
      <CardBody>
        {error && <ErrorAlert error={error} onClose={() => setError(null)} />}
        <Table variant="compact" aria-label={t('cpu.pools.table')}>
          <Thead>
            <Tr>
              <Th>{t('cpu.pools.name')}</Th>
              <Th>{t('cpu.pools.sched')}</Th>
              <Th>{t('cpu.pools.cpus')}</Th>
              <Th>{t('cpu.pools.domains')}</Th>
              <Th screenReaderText={t('cpu.pools.actions')} />
            </Tr>
          </Thead>
          <Tbody>
            {overview.pools.map((p) => (
              <Tr key={p.name}>
                <Td dataLabel={t('cpu.pools.name')}>{p.name}</Td>
                <Td dataLabel={t('cpu.pools.sched')}>
                  <Label isCompact>{p.sched}</Label>
                </Td>
                <Td dataLabel={t('cpu.pools.cpus')}>{p.cpus.join(', ') || t('cpu.none')}</Td>
                <Td dataLabel={t('cpu.pools.domains')}>{p.domainCount}</Td>
                <Td>
                  {p.name !== 'Pool-0' && (
                    <Button variant="link" isDanger isDisabled={busy} aria-label={t('cpu.pools.destroyNamed', { name: p.name })} onClick={() => setDestroying(p.name)}>
                      {t('cpu.pools.destroy')}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>

        <Table variant="compact" aria-label={t('cpu.pools.cpuTable')}>
          <Thead>
            <Tr>
              <Th>{t('cpu.pools.cpu')}</Th>
              <Th>{t('cpu.pools.inPool')}</Th>
              <Th>{t('cpu.pools.moveTo')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {allCpus.map((c) => (
              <Tr key={c}>
                <Td>{t('cpu.pcpu', { cpu: c })}</Td>
                <Td>{poolOf(c) ?? t('cpu.pools.free')}</Td>
                <Td>
                  <FormSelect
                    aria-label={t('cpu.pools.moveCpu', { cpu: c })}
                    value={poolOf(c) ?? ''}
                    isDisabled={busy}
                    onChange={(_e, v) => void run(() => client.call('cpu.poolMoveCpu', { hostId, cpu: c, to: v === '' ? null : v }))}
                  >
                    <FormSelectOption value="" label={t('cpu.pools.free')} />
                    {overview.pools.map((p) => (
                      <FormSelectOption key={p.name} value={p.name} label={p.name} />
                    ))}
                  </FormSelect>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>

        <Form
          aria-label={t('cpu.pools.create')}
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await client.call('cpu.poolCreate', { hostId, name, sched, cpus: [...cpus] });
              setName('');
              setCpus(new Set());
            });
          }}
        >
          <FormGroup label={t('cpu.pools.newName')} fieldId="cpu-pool-name">
            <TextInput id="cpu-pool-name" aria-label={t('cpu.pools.newName')} value={name} onChange={(_e, v) => setName(v)} validated={name === '' || nameOk ? 'default' : 'error'} />
          </FormGroup>
          <FormGroup label={t('cpu.pools.sched')} fieldId="cpu-pool-sched">
            <FormSelect id="cpu-pool-sched" aria-label={t('cpu.pools.sched')} value={sched} onChange={(_e, v) => setSched(v as Sched)}>
              {SCHEDULERS.map((s) => (
                <FormSelectOption key={s} value={s} label={s} />
              ))}
            </FormSelect>
          </FormGroup>
          <FormGroup label={t('cpu.pools.newCpus')} fieldId="cpu-pool-cpus" role="group">
            {allCpus.map((c) => (
              <Checkbox
                key={c}
                id={`cpu-pool-cpu-${c}`}
                label={poolOf(c) ? t('cpu.pools.cpuFrom', { cpu: c, pool: poolOf(c) }) : t('cpu.pcpu', { cpu: c })}
                isChecked={cpus.has(c)}
                onChange={(_e, on) =>
                  setCpus((prev) => {
                    const n = new Set(prev);
                    if (on) n.add(c);
                    else n.delete(c);
                    return n;
                  })
                }
              />
            ))}
          </FormGroup>
          <div>
            <Button type="submit" isDisabled={busy || !nameOk || cpus.size === 0} isLoading={busy}>
              {t('cpu.pools.create')}
            </Button>
          </div>
        </Form>

        <section aria-label={t('cpu.numa.title')} className="domus-cpu-section">
          <strong>{t('cpu.numa.title')}</strong>
          {overview.numaSplit.possible ? (
            <>
              <p>{t('cpu.numa.plan', { count: overview.numaSplit.pools.length })}</p>
              <ul>
                {overview.numaSplit.pools.map((p) => (
                  <li key={p.name}>{t('cpu.numa.poolLine', { name: p.name, node: p.node, cpus: p.cpus.join(', '), sched: p.sched })}</li>
                ))}
              </ul>
              <Button
                variant="secondary"
                isDisabled={busy}
                onClick={() =>
                  void run(async () => {
                    for (const p of overview.numaSplit.pools) {
                      await client.call('cpu.poolCreate', { hostId, name: p.name, sched: p.sched as Sched, cpus: p.cpus });
                    }
                  })
                }
              >
                {t('cpu.numa.apply')}
              </Button>
            </>
          ) : (
            <p>{t(`cpu.numa.reason.${overview.numaSplit.reason ?? 'single-node'}`)}</p>
          )}
        </section>
      </CardBody>

      {destroyPool && (
        <Modal variant="small" isOpen onClose={() => setDestroying(null)} aria-labelledby="cpu-destroy-title">
          <ModalHeader title={t('cpu.pools.destroyTitle', { name: destroyPool.name })} labelId="cpu-destroy-title" />
          <ModalBody>{t('cpu.pools.destroyBody', { name: destroyPool.name, cpus: destroyPool.cpus.join(', ') || t('cpu.none') })}</ModalBody>
          <ModalFooter>
            <Button
              variant="danger"
              onClick={() => {
                const n = destroyPool.name;
                setDestroying(null);
                void run(() => client.call('cpu.poolDestroy', { hostId, name: n }));
              }}
            >
              {t('cpu.pools.destroy')}
            </Button>
            <Button variant="link" onClick={() => setDestroying(null)}>
              {t('cpu.cancel')}
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </Card>
  );
}

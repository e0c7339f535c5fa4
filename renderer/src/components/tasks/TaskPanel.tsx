// The task log, live: every operation from any feature with its outcome, the commands that ran
// and the tool's own words on failure. Running tasks show progress (or an indeterminate bar) and
// can be cancelled where the backend allows it. Each task says how long it took (running ones
// count up), and a failure shows its sentence in the row, with the tool's raw text under it when
// the row is opened.
import { Button, ExpandableSection, Label, Progress, ProgressSize } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr, ExpandableRowContent } from '@patternfly/react-table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../../../electron/api/tasks';
import { toClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { useStore } from '../../state/context';
import { formatDuration } from './duration';

const STATE_COLOR = { running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'grey' } as const;
const SHOWN = 200;

/** The time now, re-read every second while `ticking` (a running task's duration counts up). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export function TaskPanel({ onError }: { onError?: (e: ReturnType<typeof toClientError>) => void }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const tasks = useStore((s) => s.tasks);
  const [open, setOpen] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const list = useMemo(() => [...tasks.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, SHOWN), [tasks]);
  const running = list.filter((x) => x.state === 'running').length;
  const now = useNow(open && running > 0);
  const time = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const action = (x: Task) => t(`tasks.action.${x.action}`, { defaultValue: x.action });
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const cancel = (x: Task) => client.call('tasks.cancel', { taskId: x.id }).catch((e: unknown) => onError?.(toClientError(e)));

  return (
    <ExpandableSection
      toggleText={t('tasks.panel.title', { total: list.length, running })}
      isExpanded={open}
      onToggle={(_e, v) => setOpen(v)}
      className="domus-task-panel"
      aria-label={t('tasks.panel.label')}
    >
      {list.length === 0 ? (
        <p className="domus-muted">{t('tasks.panel.empty')}</p>
      ) : (
        <Table aria-label={t('tasks.panel.label')} variant="compact">
          <Thead>
            <Tr>
              <Th screenReaderText={t('tasks.col.details')} />
              <Th>{t('tasks.col.started')}</Th>
              <Th>{t('tasks.col.host')}</Th>
              <Th>{t('tasks.col.action')}</Th>
              <Th>{t('tasks.col.target')}</Th>
              <Th>{t('tasks.col.duration')}</Th>
              <Th>{t('tasks.col.outcome')}</Th>
              <Th screenReaderText={t('tasks.col.controls')} />
            </Tr>
          </Thead>
          {list.map((x, i) => {
            const isOpen = expanded.has(x.id);
            return (
              <Tbody key={x.id} isExpanded={isOpen}>
                <Tr data-task-id={x.id} aria-label={t('tasks.row', { action: action(x), target: x.target ?? '', state: t(`tasks.state.${x.state}`) })}>
                  <Td expand={{ rowIndex: i, isExpanded: isOpen, onToggle: () => toggle(x.id), expandId: `task-${x.id}` }} />
                  <Td dataLabel={t('tasks.col.started')}>{time.format(x.startedAt)}</Td>
                  <Td dataLabel={t('tasks.col.host')}>{x.hostName}</Td>
                  <Td dataLabel={t('tasks.col.action')}>{action(x)}</Td>
                  <Td dataLabel={t('tasks.col.target')}>{x.target ?? t('common.none')}</Td>
                  <Td dataLabel={t('tasks.col.duration')} className="domus-task-duration">
                    {formatDuration(t, i18n.language, (x.endedAt ?? Math.max(now, x.startedAt)) - x.startedAt)}
                  </Td>
                  <Td dataLabel={t('tasks.col.outcome')}>
                    {x.state === 'running' ? (
                      <Progress
                        aria-label={t('tasks.progress', { action: action(x) })}
                        size={ProgressSize.sm}
                        value={x.progress === null ? undefined : x.progress * 100}
                        measureLocation="none"
                        className={x.progress === null ? 'domus-indeterminate' : undefined}
                      />
                    ) : (
                      <>
                        <Label isCompact color={STATE_COLOR[x.state]}>
                          {t(`tasks.state.${x.state}`)}
                        </Label>
                        {x.error && <div className="domus-task-sentence">{x.error.message}</div>}
                      </>
                    )}
                  </Td>
                  <Td isActionCell>
                    {x.state === 'running' && x.cancellable && (
                      <Button variant="link" size="sm" onClick={() => void cancel(x)} aria-label={t('tasks.cancelNamed', { action: action(x) })}>
                        {t('tasks.cancel')}
                      </Button>
                    )}
                  </Td>
                </Tr>
                <Tr isExpanded={isOpen}>
                  <Td colSpan={8}>
                    <ExpandableRowContent>
                      {x.error && (
                        <div className="domus-task-failure">
                          <p className="domus-task-sentence">{x.error.message}</p>
                          {x.error.detail && (
                            <pre className="domus-mono domus-detail" aria-label={t('tasks.raw')}>
                              {x.error.detail}
                            </pre>
                          )}
                        </div>
                      )}
                      <ol className="domus-task-steps" aria-label={t('tasks.steps')}>
                        {x.steps.map((s, k) => (
                          <li key={k}>
                            <code>{s.command}</code>{' '}
                            <span className="domus-muted">
                              {s.exitCode === undefined ? t('tasks.stepRunning') : t('tasks.stepExit', { code: s.exitCode ?? '—' })}
                            </span>
                            {s.stderr && <pre className="domus-mono domus-detail">{s.stderr}</pre>}
                          </li>
                        ))}
                      </ol>
                    </ExpandableRowContent>
                  </Td>
                </Tr>
              </Tbody>
            );
          })}
        </Table>
      )}
    </ExpandableSection>
  );
}

import {
  Button,
  Checkbox,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Label,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import CubesIcon from '@patternfly/react-icons/dist/esm/icons/cubes-icon';
import SearchIcon from '@patternfly/react-icons/dist/esm/icons/search-icon';
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr, type IAction, type ThProps } from '@patternfly/react-table';
import type { TFunction } from 'i18next';
import { memo, useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guest, GuestState } from '../../../electron/api/guests';
import { formatInteger, formatMiB, formatPercent } from '../format';
import { useStore } from '../state/context';
import type { GuestMap } from '../state/store';
import { GuestStateLabel } from './GuestStateLabel';
import { availableActions, BULK_ACTIONS, type LifecycleAction } from './guest/availability';
import { useGuestNavigation } from './guest/navigation';
import { RestoreModal, useLifecycle } from './guest/useLifecycle';

export const GUEST_FILTER_ID = 'guest-filter';

type ColumnKey = 'name' | 'state' | 'type' | 'domid' | 'vcpus' | 'memory' | 'cpu';
type Direction = 'asc' | 'desc';

const stateOrder: Record<GuestState, number> = {
  running: 0,
  blocked: 1,
  paused: 2,
  shutdown: 3,
  dying: 4,
  crashed: 5,
  'shut off': 6,
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Nulls sort last in either direction. */
function byNullable<T>(get: (g: Guest) => T | null, cmp: (a: T, b: T) => number) {
  return (a: Guest, b: Guest, dir: number) => {
    const va = get(a);
    const vb = get(b);
    if (va === null && vb === null) return 0;
    if (va === null) return 1;
    if (vb === null) return -1;
    return dir * cmp(va, vb);
  };
}
const num = (a: number, b: number) => a - b;

const COLUMNS: { key: ColumnKey; compare: (a: Guest, b: Guest, dir: number) => number; numeric?: boolean }[] = [
  { key: 'name', compare: (a, b, d) => d * collator.compare(a.name, b.name) },
  { key: 'state', compare: (a, b, d) => d * (stateOrder[a.state] - stateOrder[b.state]) },
  { key: 'type', compare: byNullable((g) => g.type, (a, b) => a.localeCompare(b)) },
  { key: 'domid', compare: byNullable((g) => g.domid, num), numeric: true },
  { key: 'vcpus', compare: (a, b, d) => d * (a.vcpus - b.vcpus), numeric: true },
  { key: 'memory', compare: (a, b, d) => d * (a.memoryMiB - b.memoryMiB), numeric: true },
  { key: 'cpu', compare: byNullable((g) => g.cpuPercent, num), numeric: true },
];

export function sortGuests(guests: Iterable<Guest>, key: ColumnKey, direction: Direction, filter: string): Guest[] {
  const col = COLUMNS.find((c) => c.key === key) ?? COLUMNS[0];
  const dir = direction === 'asc' ? 1 : -1;
  const needle = filter.trim().toLowerCase();
  const list: Guest[] = [];
  for (const g of guests) if (!needle || g.name.toLowerCase().includes(needle)) list.push(g);
  return list.sort((a, b) => col.compare(a, b, dir) || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

const EMPTY: GuestMap = new Map();

interface RowProps {
  guest: Guest;
  selected: boolean;
  onToggle: (id: string, on: boolean) => void;
  t: TFunction;
  lng: string;
  onOpen: ((g: Guest) => void) | null;
  onAction: (a: LifecycleAction, g: Guest) => void;
  busy: boolean;
}

/** One row; re-renders only when its guest object, its selection or the language changes. */
const GuestRow = memo(function GuestRow({ guest: g, selected, onToggle, t, lng, onOpen, onAction, busy }: RowProps) {
  const dash = t('common.none');
  const items: IAction[] = availableActions(g).map((a) => ({ title: t(`lifecycle.actions.${a}`), onClick: () => onAction(a, g), isDisabled: busy }));
  return (
    <Tr isRowSelected={selected} data-guest-id={g.id} className={g.isControlDomain ? 'domus-dom0' : undefined}>
      <Td className="pf-v6-c-table__check">
        <Checkbox
          id={`guest-select-${g.id}`}
          aria-label={t('guests.select', { name: g.name })}
          isChecked={selected}
          onChange={(_e, on) => onToggle(g.id, on)}
        />
      </Td>
      <Td dataLabel={t('guests.col.name')}>
        {onOpen ? (
          <Button variant="link" isInline onClick={() => onOpen(g)} aria-label={t('lifecycle.open', { name: g.name })}>
            {g.name}
          </Button>
        ) : (
          g.name
        )}
      </Td>
      <Td dataLabel={t('guests.col.state')}>
        <GuestStateLabel state={g.state} />
      </Td>
      <Td dataLabel={t('guests.col.type')}>
        {g.type ? t(`guestType.${g.type}`) : dash}
        {g.isControlDomain && (
          <>
            {' '}
            <Label isCompact color="purple" className="domus-dom0-label">
              {t('guests.controlDomain')}
            </Label>
          </>
        )}
      </Td>
      <Td dataLabel={t('guests.col.domid')} className="domus-num">
        {g.domid === null ? dash : formatInteger(lng, g.domid)}
      </Td>
      <Td dataLabel={t('guests.col.vcpus')} className="domus-num">
        {formatInteger(lng, g.vcpus)}
      </Td>
      <Td dataLabel={t('guests.col.memory')} className="domus-num">
        {formatMiB(t, lng, g.memoryMiB)}
      </Td>
      <Td dataLabel={t('guests.col.cpu')} className="domus-num">
        {g.cpuPercent === null ? dash : formatPercent(lng, g.cpuPercent)}
      </Td>
      <Td isActionCell>
        {items.length > 0 && <ActionsColumn items={items} popperProps={{ position: 'right' }} actionsToggle={undefined} aria-label={t('lifecycle.actions.rowMenu', { name: g.name })} />}
      </Td>
    </Tr>
  );
});

export function GuestTable({ hostId, connected }: { hostId: string; connected: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const guests = useStore((s) => s.guests.get(hostId)) ?? EMPTY;
  const loaded = useStore((s) => s.guests.has(hostId));
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [sortKey, setSortKey] = useState<ColumnKey>('name');
  const [direction, setDirection] = useState<Direction>('asc');
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const nav = useGuestNavigation();
  const { request, busy, dialogs } = useLifecycle(hostId);
  const [restoring, setRestoring] = useState(false);
  const onOpen = useMemo(() => (nav ? (g: Guest) => nav.openGuest(hostId, g.id) : null), [nav, hostId]);
  const onAction = useCallback((a: LifecycleAction, g: Guest) => request(a, [g]), [request]);

  const rows = useMemo(() => sortGuests(guests.values(), sortKey, direction, deferredFilter), [guests, sortKey, direction, deferredFilter]);

  const onToggle = useCallback((id: string, on: boolean) => {
    setSelected((prev) => {
      if (prev.has(id) === on) return prev;
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  // Selection survives updates (it is by id); guests that are gone simply do not count.
  let selectedVisible = 0;
  for (const g of rows) if (selected.has(g.id)) selectedVisible++;
  let selectedTotal = 0;
  for (const id of selected) if (guests.has(id)) selectedTotal++;
  const allVisibleSelected = rows.length > 0 && selectedVisible === rows.length;

  const toggleAll = (on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const g of rows) {
        if (on) next.add(g.id);
        else next.delete(g.id);
      }
      return next;
    });

  const sortFor = (index: number, key: ColumnKey): ThProps['sort'] => ({
    sortBy: { index: COLUMNS.findIndex((c) => c.key === sortKey), direction, defaultDirection: 'asc' },
    onSort: (_e, _i, dir) => {
      setSortKey(key);
      setDirection(dir);
    },
    columnIndex: index,
  });

  const clearFilter = () => setFilter('');
  const chosen = [...selected].map((id) => guests.get(id)).filter((g): g is Guest => !!g);
  const bulk = (a: LifecycleAction) => request(a, chosen.filter((g) => availableActions(g).includes(a)));

  return (
    <section aria-labelledby="guests-heading" className="domus-guests">
      <h2 id="guests-heading" className="pf-v6-screen-reader">
        {t('guests.heading')}
      </h2>
      <Toolbar className="domus-tight" aria-label={t('guests.toolbar')}>
        <ToolbarContent>
          <ToolbarItem>
            <SearchInput
              searchInputId={GUEST_FILTER_ID}
              aria-label={t('guests.filterLabel')}
              placeholder={t('guests.filterPlaceholder')}
              value={filter}
              onChange={(_e, v) => setFilter(v)}
              onClear={clearFilter}
              resetButtonLabel={t('guests.filterClear')}
            />
          </ToolbarItem>
          <ToolbarItem alignSelf="center">
            <span className="domus-muted" role="status" aria-live="polite">
              {deferredFilter
                ? t('guests.countFiltered', { count: guests.size, shown: formatInteger(lng, rows.length), total: formatInteger(lng, guests.size) })
                : t('guests.count', { count: guests.size, total: formatInteger(lng, guests.size) })}
              {selectedTotal > 0 && <> {t('guests.selectedCount', { count: selectedTotal, selected: formatInteger(lng, selectedTotal) })}</>}
            </span>
          </ToolbarItem>
          {chosen.length > 0 &&
            BULK_ACTIONS.filter((a) => chosen.some((g) => availableActions(g).includes(a))).map((a) => (
              <ToolbarItem key={a}>
                <Button variant={a === 'destroy' ? 'danger' : 'secondary'} size="sm" onClick={() => bulk(a)} aria-label={t('lifecycle.bulk.label', { action: t(`lifecycle.actions.${a}`), count: chosen.filter((g) => availableActions(g).includes(a)).length })}>
                  {t(`lifecycle.actions.${a}`)}
                </Button>
              </ToolbarItem>
            ))}
          <ToolbarItem align={{ default: 'alignEnd' }}>
            <Button variant="secondary" size="sm" isDisabled={!connected} onClick={() => setRestoring(true)}>
              {t('lifecycle.restore.open')}
            </Button>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {dialogs}
      {restoring && <RestoreModal hostId={hostId} onClose={() => setRestoring(false)} />}
      <Table aria-label={t('guests.tableLabel')} variant="compact" isStickyHeader role="table">
        <Thead>
          <Tr>
            <Th className="pf-v6-c-table__check" screenReaderText={t('guests.selectColumn')}>
              <Checkbox
                id="guest-select-all"
                aria-label={t('guests.selectAll')}
                isChecked={allVisibleSelected}
                isDisabled={rows.length === 0}
                onChange={(_e, on) => toggleAll(on)}
              />
            </Th>
            {COLUMNS.map((c, i) => (
              <Th key={c.key} sort={sortFor(i, c.key)} modifier={c.numeric ? 'nowrap' : undefined} className={c.numeric ? 'domus-num' : undefined}>
                {t(`guests.col.${c.key}`)}
              </Th>
            ))}
            <Th screenReaderText={t('lifecycle.actions.column')} />
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((g) => (
            <GuestRow key={g.id} guest={g} selected={selected.has(g.id)} onToggle={onToggle} t={t} lng={lng} onOpen={onOpen} onAction={onAction} busy={busy.has(g.id)} />
          ))}
          {rows.length === 0 && (
            <Tr>
              <Td colSpan={COLUMNS.length + 2}>
                {guests.size > 0 ? (
                  <EmptyState headingLevel="h3" icon={SearchIcon} titleText={t('guests.noMatchTitle')} variant="sm">
                    <EmptyStateBody>{t('guests.noMatchBody')}</EmptyStateBody>
                    <EmptyStateFooter>
                      <EmptyStateActions>
                        <Button variant="link" onClick={clearFilter}>
                          {t('guests.filterClear')}
                        </Button>
                      </EmptyStateActions>
                    </EmptyStateFooter>
                  </EmptyState>
                ) : (
                  <EmptyState headingLevel="h3" icon={CubesIcon} titleText={!connected ? t('guests.notConnectedTitle') : loaded ? t('guests.emptyTitle') : t('guests.loadingTitle')} variant="sm">
                    <EmptyStateBody>{!connected ? t('guests.notConnectedBody') : loaded ? t('guests.emptyBody') : t('guests.loadingBody')}</EmptyStateBody>
                  </EmptyState>
                )}
              </Td>
            </Tr>
          )}
        </Tbody>
      </Table>
    </section>
  );
}

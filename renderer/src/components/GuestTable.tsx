import {
  Button,
  Checkbox,
  Dropdown,
  DropdownItem,
  DropdownList,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Label,
  MenuToggle,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import CubesIcon from '@patternfly/react-icons/dist/esm/icons/cubes-icon';
import EllipsisVIcon from '@patternfly/react-icons/dist/esm/icons/ellipsis-v-icon';
import SearchIcon from '@patternfly/react-icons/dist/esm/icons/search-icon';
import { Table, TableContext, Tbody, Td, Th, Thead, Tr, type ThProps } from '@patternfly/react-table';
import type { TFunction } from 'i18next';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigProblem, Guest, GuestState } from '../../../electron/api/guests';
import { formatInteger, formatMiB, formatPercent } from '../format';
import { useStore } from '../state/context';
import type { GuestMap } from '../state/store';
import { GuestStateLabel } from './GuestStateLabel';
import { availableActions, BULK_ACTIONS, type LifecycleAction } from './guest/availability';
import { useGuestNavigation } from './guest/navigation';
import { RestoreModal, useLifecycle } from './guest/useLifecycle';
import { useVirtualRows } from './guest/useVirtualRows';
import { CreateGuestButton } from './create/CreateGuestButton';
import { withItem } from '../sets';
import { useLiveFigures } from '../state/liveInterest';

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

/**
 * The sorted, filtered rows after a live update, in O(rows) without sorting again when no guest's
 * place can have moved: same guests, and every changed guest compares equal to its old self on the
 * sort column and on the name (the tie-breaker). A xentop tick changes CPU % and counters, so
 * while the table is sorted by name, state, memory… the order is reused and only the changed
 * guest objects are swapped in. Returns null when a full sort is needed.
 */
export function reorderInPlace(prev: readonly Guest[], guests: GuestMap, key: ColumnKey, filter: string): Guest[] | null {
  const col = COLUMNS.find((c) => c.key === key) ?? COLUMNS[0];
  const needle = filter.trim().toLowerCase();
  let shown = 0;
  for (const g of guests.values()) if (!needle || g.name.toLowerCase().includes(needle)) shown++;
  if (shown !== prev.length) return null;
  const next = new Array<Guest>(prev.length);
  for (let i = 0; i < prev.length; i++) {
    const old = prev[i];
    const now = guests.get(old.id);
    if (!now) return null;
    if (now !== old && (now.name !== old.name || col.compare(now, old, 1) !== 0)) return null;
    next[i] = now;
  }
  return next;
}

const EMPTY: GuestMap = new Map();

type RowLabels = Record<ColumnKey | 'none', string>;

interface RowProps {
  guest: Guest;
  /** 1-based position among all rows of the table (header = 1), for aria-rowindex. */
  rowIndex: number;
  selected: boolean;
  onToggle: (id: string, on: boolean) => void;
  t: TFunction;
  /** The column names (data-label) and the dash, translated once per language, not per cell. */
  labels: RowLabels;
  lng: string;
  onOpen: ((id: string) => void) | null;
  /** Opens (or closes) the one action menu of the table at this row's toggle. */
  onMenu: (id: string, toggle: HTMLButtonElement) => void;
  menuOpen: boolean;
}

// The rows are plain <tr>/<td> with PatternFly's classes: PatternFly's Tr/Td merge their props
// with lodash per cell on every render, which was most of a live update's cost.
const ROW_CLASS = 'pf-v6-c-table__tr';
const CELL_CLASS = 'pf-v6-c-table__td';
const NUM_CELL_CLASS = `${CELL_CLASS} domus-num`;

// A live update changes a guest's CPU % and counters, rarely its name or state: the PatternFly
// controls of a row are memoised on what they show, so such an update re-renders text cells only.
const RowSelect = memo(function RowSelect({ id, name, selected, onToggle, t }: { id: string; name: string; selected: boolean; onToggle: (id: string, on: boolean) => void; t: TFunction }) {
  return <Checkbox id={`guest-select-${id}`} aria-label={t('guests.select', { name })} isChecked={selected} onChange={(_e, on) => onToggle(id, on)} />;
});

const RowName = memo(function RowName({ guest, id, onOpen, t }: { guest: string; id: string; onOpen: (id: string) => void; t: TFunction }) {
  return (
    <Button variant="link" isInline onClick={() => onOpen(id)} aria-label={t('lifecycle.open', { name: guest })}>
      {guest}
    </Button>
  );
});

const RowMenuToggle = memo(function RowMenuToggle({ id, name, menuOpen, onMenu, t }: { id: string; name: string; menuOpen: boolean; onMenu: (id: string, toggle: HTMLButtonElement) => void; t: TFunction }) {
  return (
    <MenuToggle
      variant="plain"
      isExpanded={menuOpen}
      aria-haspopup="menu"
      aria-label={t('lifecycle.actions.rowMenu', { name })}
      icon={<EllipsisVIcon />}
      onClick={(e) => onMenu(id, e.currentTarget as HTMLButtonElement)}
    />
  );
});

/**
 * A stopped guest whose config fails the host checks: "Will not start" (or a milder warning),
 * the reasons in its title and accessible name. A plain title, not a Tooltip: one per row is cheap.
 */
const ConfigBadge = memo(function ConfigBadge({ problems, t }: { problems: ConfigProblem[]; t: TFunction }) {
  const error = problems.some((p) => p.severity === 'error');
  const reasons = problems.map((p) => p.message).join('\n');
  const label = t('lifecycle.checks.badgeLabel', { reasons });
  return (
    <>
      {' '}
      <Label isCompact color={error ? 'red' : 'orange'} className="domus-config-badge" title={label} aria-label={label}>
        {t(error ? 'lifecycle.checks.badgeError' : 'lifecycle.checks.badgeWarning')}
      </Label>
    </>
  );
});

/** The type, domid and vCPU cells: a live sample never changes them, so they skip its render. */
const RowFacts = memo(function RowFacts({ type, isControlDomain, domid, vcpus, t, labels, lng }: {
  type: Guest['type'];
  isControlDomain: boolean;
  domid: number | null;
  vcpus: number;
  t: TFunction;
  labels: RowLabels;
  lng: string;
}) {
  return (
    <>
      <td data-label={labels.type} className={CELL_CLASS}>
        {type ? t(`guestType.${type}`) : labels.none}
        {isControlDomain && (
          <>
            {' '}
            <Label isCompact color="purple" className="domus-dom0-label">
              {t('guests.controlDomain')}
            </Label>
          </>
        )}
      </td>
      <td data-label={labels.domid} className={NUM_CELL_CLASS}>
        {domid === null ? labels.none : formatInteger(lng, domid)}
      </td>
      <td data-label={labels.vcpus} className={NUM_CELL_CLASS}>
        {formatInteger(lng, vcpus)}
      </td>
    </>
  );
});

/**
 * One row; re-renders only when its guest object, its place, its selection, its menu or the
 * language changes, and then only its live cells (state, memory, CPU): the others are memoised
 * on what they show. The action menu is not rendered per row: the row has a plain toggle and the
 * table renders one Dropdown for the row whose menu is open (a PatternFly menu per row made a
 * 1,000-guest table slow to render and to update).
 */
const GuestRow = memo(function GuestRow({ guest: g, rowIndex, selected, onToggle, t, labels, lng, onOpen, onMenu, menuOpen }: RowProps) {
  const dash = labels.none;
  const hasActions = availableActions(g).length > 0;
  return (
    <tr data-guest-id={g.id} aria-rowindex={rowIndex} className={`${ROW_CLASS}${selected ? ' pf-m-selected' : ''}${g.isControlDomain ? ' domus-dom0' : ''}`}>
      <td className={`${CELL_CLASS} pf-v6-c-table__check`}>
        <RowSelect id={g.id} name={g.name} selected={selected} onToggle={onToggle} t={t} />
      </td>
      <td data-label={labels.name} className={CELL_CLASS}>
        {onOpen ? <RowName guest={g.name} id={g.id} onOpen={onOpen} t={t} /> : g.name}
        {g.configProblems?.length ? <ConfigBadge problems={g.configProblems} t={t} /> : null}
      </td>
      <td data-label={labels.state} className={CELL_CLASS}>
        <GuestStateLabel state={g.state} />
      </td>
      <RowFacts type={g.type} isControlDomain={g.isControlDomain} domid={g.domid} vcpus={g.vcpus} t={t} labels={labels} lng={lng} />
      <td data-label={labels.memory} className={NUM_CELL_CLASS}>
        {formatMiB(t, lng, g.memoryMiB)}
      </td>
      {g.cpuPercent === null ? (
        <td data-label={labels.cpu} className={NUM_CELL_CLASS}>
          {dash}
        </td>
      ) : (
        // xentop's convention (100 % = one vCPU busy), so a guest with 4 vCPUs can show 400 %: the
        // title says so with the guest's vCPU count.
        <td data-label={labels.cpu} className={NUM_CELL_CLASS} title={t('guests.cpuTitle', { count: g.vcpus, percent: formatPercent(lng, g.cpuPercent), vcpus: formatInteger(lng, g.vcpus) })}>
          {formatPercent(lng, g.cpuPercent)}
        </td>
      )}
      <td className={`${CELL_CLASS} pf-v6-c-table__action`}>
        {hasActions && <RowMenuToggle id={g.id} name={g.name} menuOpen={menuOpen} onMenu={onMenu} t={t} />}
      </td>
    </tr>
  );
});

/** What PatternFly's Table gives its cells, as a constant: Table provides a new context object each
 *  time it renders (every live update), which would re-render the header cells through memo. */
const HEAD_CONTEXT = { registerSelectableRow: () => undefined, hasAnimations: false, variant: 'compact' as const };

/** The header: select-all and the sortable columns. Memoised: a live update does not touch it. */
const GuestTableHead = memo(function GuestTableHead({ sortKey, direction, onSort, allSelected, noRows, onToggleAll, t }: {
  sortKey: ColumnKey;
  direction: Direction;
  onSort: (key: ColumnKey, dir: Direction) => void;
  allSelected: boolean;
  noRows: boolean;
  onToggleAll: (on: boolean) => void;
  t: TFunction;
}) {
  const sortFor = (index: number, key: ColumnKey): ThProps['sort'] => ({
    sortBy: { index: COLUMNS.findIndex((c) => c.key === sortKey), direction, defaultDirection: 'asc' },
    onSort: (_e, _i, dir) => onSort(key, dir),
    columnIndex: index,
  });
  return (
    <TableContext.Provider value={HEAD_CONTEXT}>
    <Thead>
      <Tr>
        <Th className="pf-v6-c-table__check" screenReaderText={t('guests.selectColumn')}>
          <Checkbox id="guest-select-all" aria-label={t('guests.selectAll')} isChecked={allSelected} isDisabled={noRows} onChange={(_e, on) => onToggleAll(on)} />
        </Th>
        {/* nowrap: a column is never narrower than its name (at 1024 px "Name" became "N…"). */}
        {COLUMNS.map((c, i) => (
          <Th key={c.key} sort={sortFor(i, c.key)} modifier="nowrap" className={c.numeric ? 'domus-num' : undefined} title={c.key === 'cpu' ? t('guests.cpuHelp') : undefined}>
            {t(`guests.col.${c.key}`)}
          </Th>
        ))}
        <Th screenReaderText={t('lifecycle.actions.column')} />
      </Tr>
    </Thead>
    </TableContext.Provider>
  );
});

export function GuestTable({ hostId, connected }: { hostId: string; connected: boolean }) {
  useLiveFigures(connected ? hostId : null);
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const guests = useStore((s) => s.guests.get(hostId)) ?? EMPTY;
  const loaded = useStore((s) => s.guests.has(hostId));
  const labels = useMemo<RowLabels>(() => {
    const l = { none: t('common.none') } as RowLabels;
    for (const c of COLUMNS) l[c.key] = t(`guests.col.${c.key}`);
    return l;
  }, [t]);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [sortKey, setSortKey] = useState<ColumnKey>('name');
  const [direction, setDirection] = useState<Direction>('asc');
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const nav = useGuestNavigation();
  const { request, busy, dialogs } = useLifecycle(hostId);
  const [restoring, setRestoring] = useState(false);
  const onOpen = useMemo(() => (nav ? (id: string) => nav.openGuest(hostId, id) : null), [nav, hostId]);
  // The open row menu: which guest, and its toggle as a new ref object each time, so that the one
  // Dropdown re-anchors when it opens for another row.
  const [menu, setMenu] = useState<{ id: string; toggle: RefObject<HTMLButtonElement | null> } | null>(null);
  const onMenu = useCallback((id: string, toggle: HTMLButtonElement) => setMenu((m) => (m?.id === id ? null : { id, toggle: { current: toggle } })), []);
  const closeMenu = useCallback(() => setMenu(null), []);

  // The last sort, so that a live update that cannot move any row reuses its order (see
  // reorderInPlace): a xentop tick then costs O(rows), not a sort with the collator.
  const lastSort = useRef<{ rows: Guest[]; key: ColumnKey; direction: Direction; filter: string } | null>(null);
  const rows = useMemo(() => {
    const prev = lastSort.current;
    const reused =
      prev && prev.key === sortKey && prev.direction === direction && prev.filter === deferredFilter
        ? reorderInPlace(prev.rows, guests, sortKey, deferredFilter)
        : null;
    const next = reused ?? sortGuests(guests.values(), sortKey, direction, deferredFilter);
    lastSort.current = { rows: next, key: sortKey, direction, filter: deferredFilter };
    return next;
  }, [guests, sortKey, direction, deferredFilter]);
  // Only the rows in view (plus a few) are in the DOM; spacer rows keep the scroll height.
  const { scrollRef, tbodyRef, start, end, padTop, padBottom } = useVirtualRows(rows.length);
  // The menu follows its toggle while the table scrolls (Popper listens to scrolling); when the
  // row is scrolled out of the rendered window its toggle is gone, and so is the menu.
  useEffect(() => {
    if (menu && !menu.toggle.current?.isConnected) setMenu(null);
  });

  const onToggle = useCallback((id: string, on: boolean) => {
    setSelected((prev) => (prev.has(id) === on ? prev : withItem(prev, id, on)));
  }, []);

  // Selection survives updates (it is by id); guests that are gone simply do not count.
  let selectedVisible = 0;
  for (const g of rows) if (selected.has(g.id)) selectedVisible++;
  let selectedTotal = 0;
  for (const id of selected) if (guests.has(id)) selectedTotal++;
  const allVisibleSelected = rows.length > 0 && selectedVisible === rows.length;

  // Stable callbacks (the current rows through a ref) so the memoised header does not re-render
  // on every live update.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const toggleAll = useCallback(
    (on: boolean) =>
      setSelected((prev) => {
        const next = new Set(prev);
        for (const g of rowsRef.current) {
          if (on) next.add(g.id);
          else next.delete(g.id);
        }
        return next;
      }),
    [],
  );
  const onSort = useCallback((key: ColumnKey, dir: Direction) => {
    setSortKey(key);
    setDirection(dir);
  }, []);

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
            <CreateGuestButton hostId={hostId} connected={connected} />
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="secondary" size="sm" isDisabled={!connected} onClick={() => setRestoring(true)}>
              {t('lifecycle.restore.open')}
            </Button>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {dialogs}
      {restoring && <RestoreModal hostId={hostId} onClose={() => setRestoring(false)} />}
      <RowMenu guest={menu ? guests.get(menu.id) : undefined} toggleRef={menu?.toggle ?? NO_TOGGLE} busy={!!menu && busy.has(menu.id)} onAction={request} onClose={closeMenu} t={t} />
      <div ref={scrollRef} className="domus-guests-scroll" style={{ overflow: 'auto', maxHeight: 'max(20rem, calc(100vh - 15rem))' }}>
      <Table aria-label={t('guests.tableLabel')} variant="compact" isStickyHeader role="table" aria-rowcount={rows.length + 1}>
        <GuestTableHead sortKey={sortKey} direction={direction} onSort={onSort} allSelected={allVisibleSelected} noRows={rows.length === 0} onToggleAll={toggleAll} t={t} />
        <Tbody ref={tbodyRef}>
          {padTop > 0 && <tr aria-hidden="true" className="domus-spacer" style={{ height: padTop }} />}
          {rows.slice(start, end).map((g, i) => (
            <GuestRow
              key={g.id}
              guest={g}
              rowIndex={start + i + 2}
              selected={selected.has(g.id)}
              onToggle={onToggle}
              t={t}
              labels={labels}
              lng={lng}
              onOpen={onOpen}
              onMenu={onMenu}
              menuOpen={menu?.id === g.id}
            />
          ))}
          {padBottom > 0 && <tr aria-hidden="true" className="domus-spacer" style={{ height: padBottom }} />}
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
      </div>
    </section>
  );
}

const NO_TOGGLE: RefObject<HTMLButtonElement | null> = { current: null };

/**
 * The action menu of one row: a single instance for the whole table, anchored at the toggle of the
 * row it is open for. It stays mounted (closed) so that PatternFly's Popper finds its menu element
 * when it opens; a new toggle ref re-anchors it.
 */
const RowMenu = memo(function RowMenu({ guest, toggleRef, busy, onAction, onClose, t }: {
  guest: Guest | undefined;
  toggleRef: RefObject<HTMLButtonElement | null>;
  busy: boolean;
  onAction: (a: LifecycleAction, guests: Guest[]) => void;
  onClose: () => void;
  t: TFunction;
}) {
  return (
    <Dropdown
      isOpen={!!guest}
      toggle={{ toggleNode: null, toggleRef }}
      onOpenChange={(open) => !open && onClose()}
      onSelect={onClose}
      shouldFocusFirstItemOnOpen
      // The chosen item goes away with the menu: focus its toggle, so the dialog the item opens
      // gives focus back there when it closes (not to the page's start).
      shouldFocusToggleOnSelect
      popperProps={{ position: 'right', appendTo: () => document.body }}
      aria-label={guest ? t('lifecycle.actions.rowMenu', { name: guest.name }) : undefined}
    >
      <DropdownList>
        {guest &&
          availableActions(guest).map((a) => (
            <DropdownItem key={a} value={a} isDisabled={busy} onClick={() => onAction(a, [guest])}>
              {t(`lifecycle.actions.${a}`)}
            </DropdownItem>
          ))}
      </DropdownList>
    </Dropdown>
  );
});

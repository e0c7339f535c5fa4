// The one PCI picker: the host's page (giving a device to a guest), the guest's page and the
// creation wizard all choose devices with it. It lists the devices a guest could get — assignable
// ones first, then those that could be made assignable, with what dom0 needs them for — with
// class/vendor/device names and siblings, per-device pci= options, and says what is wrong with a
// selection (not assignable yet, needed by dom0, in use, only some functions of a device).
import { Checkbox, EmptyState, EmptyStateBody, FormSelect, FormSelectOption, Label } from '@patternfly/react-core';
import { Spinner } from '../Spinner';
import { Alert } from '../Alert';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { PciInventory, PciOptions } from '../../../../electron/api/pci';
import { ErrorAlert } from '../ErrorAlert';
import { PciIdentityCells, PciIdentityHeads } from './PciIdentityColumns';
import { PciStatusLabels } from './PciStatusLabels';
import {
  BLOCKING,
  isSelected,
  pickerCandidates,
  selectionIssues,
  setSelectionOptions,
  toggleSelection,
  type PciSelection,
  type SelectionIssue,
} from './pickerModel';
import { usePciInventory } from './usePciInventory';

export type { PciSelection } from './pickerModel';

// xl's own keywords for rdm_policy, shown as they are written in xl.cfg.
const RDM_POLICIES = ['strict', 'relaxed'] as const;

// Ids unique per picker instance: a page may show two pickers (running guest, config) at once.
const idOf = (prefix: string, bdf: string, what: string) => `${prefix}pci-${bdf.replace(/[:.]/g, '-')}-${what}`;

/** The pci= options of one device (permissive, msitranslate, rdm_policy, seize with its warning). */
export function PciOptionsFields({ bdf, options, onChange, isDisabled }: { bdf: string; options: PciOptions; onChange(o: PciOptions): void; isDisabled?: boolean }) {
  const { t } = useTranslation();
  const prefix = useId();
  return (
    <div role="group" aria-label={t('pci.picker.optionsFor', { bdf })} className="domus-pci-options">
      <Checkbox id={idOf(prefix, bdf, 'permissive')} label={t('pci.options.permissive')} isDisabled={isDisabled} isChecked={!!options.permissive} onChange={(_e, v) => onChange({ ...options, permissive: v })} />
      <Checkbox id={idOf(prefix, bdf, 'msitranslate')} label={t('pci.options.msitranslate')} isDisabled={isDisabled} isChecked={!!options.msitranslate} onChange={(_e, v) => onChange({ ...options, msitranslate: v })} />
      <Checkbox id={idOf(prefix, bdf, 'seize')} label={t('pci.options.seize')} isDisabled={isDisabled} isChecked={!!options.seize} onChange={(_e, v) => onChange({ ...options, seize: v })} />
      {options.seize && <Alert variant="warning" isInline isPlain title={t('pci.options.seizeWarning')} />}
      <FormSelect
        aria-label={t('pci.options.rdm')}
        isDisabled={isDisabled}
        value={options.rdmPolicy ?? ''}
        onChange={(_e, v) => onChange({ ...options, rdmPolicy: v === '' ? undefined : (v as 'strict' | 'relaxed') })}
      >
        <FormSelectOption value="" label={t('pci.options.rdmDefault')} />
        {RDM_POLICIES.map((p) => (
          <FormSelectOption key={p} value={p} label={p} />
        ))}
      </FormSelect>
    </div>
  );
}

/** What is wrong with (or worth knowing about) a selection, one alert per issue. */
export function PciSelectionIssues({ issues }: { issues: SelectionIssue[] }) {
  const { t } = useTranslation();
  return (
    <>
      {issues.map((i) => (
        <Alert
          key={`${i.kind}-${i.bdf}`}
          variant={BLOCKING.has(i.kind) ? 'danger' : 'warning'}
          isInline
          title={t(`pci.picker.issue.${i.kind}`, {
            bdf: i.bdf,
            guests: i.kind === 'in-use' ? i.guests.join(', ') : '',
            missing: i.kind === 'partial-functions' ? i.missing.join(', ') : '',
          })}
        />
      ))}
    </>
  );
}

interface ListProps {
  inv: PciInventory;
  value: PciSelection[];
  onChange(v: PciSelection[]): void;
  /** Devices not to offer (those the guest already has). */
  exclude?: string[];
  /** The guest being given the devices (its own running devices are not "in use"). */
  guest?: string;
  isDisabled?: boolean;
}

/** The picker on an inventory already read. */
export function PciSelectionList({ inv, value, onChange, exclude = [], guest, isDisabled }: ListProps) {
  const { t } = useTranslation();
  const prefix = useId();
  if (!inv.availability.available) {
    return (
      <Alert variant="warning" isInline title={t('pci.unavailable.title')} aria-label={t('pci.unavailable.title')}>
        {inv.availability.reason}
      </Alert>
    );
  }
  const candidates = pickerCandidates(inv, exclude);
  if (!candidates.length) {
    return (
      <EmptyState titleText={t('pci.picker.emptyTitle')} headingLevel="h3">
        <EmptyStateBody>{t('pci.picker.empty')}</EmptyStateBody>
      </EmptyState>
    );
  }
  const issues = selectionIssues(inv, value, guest);
  return (
    <div className="domus-pci-picker">
      <Table variant="compact" role="table" aria-label={t('pci.picker.table')}>
        <Thead>
          <Tr>
            <Th screenReaderText={t('pci.picker.selectCol')} />
            <PciIdentityHeads />
            <Th>{t('pci.col.functions')}</Th>
            <Th>{t('pci.col.status')}</Th>
          </Tr>
        </Thead>
        <Tbody>
          {candidates.map((d) => {
            const sel = value.find((s) => s.address === d.bdf);
            return [
              <Tr key={d.bdf} aria-label={d.bdf} isRowSelected={!!sel}>
                <Td>
                  <Checkbox
                    id={idOf(prefix, d.bdf, 'select')}
                    aria-label={t('pci.picker.select', { bdf: d.bdf })}
                    isDisabled={isDisabled}
                    isChecked={isSelected(value, d.bdf)}
                    onChange={(_e, on) => onChange(toggleSelection(value, d.bdf, on))}
                  />
                </Td>
                <PciIdentityCells bdf={d.bdf} device={d} />
                <Td dataLabel={t('pci.col.functions')}>{d.functions.length ? d.functions.join(', ') : t('pci.none')}</Td>
                <Td dataLabel={t('pci.col.status')}>
                  {!d.assignable && !d.dom0Needs.length && <Label color="orange">{t('pci.picker.notAssignable')}</Label>}
                  <PciStatusLabels d={d} />
                </Td>
              </Tr>,
              sel && (
                <Tr key={`${d.bdf}-options`}>
                  <Td />
                  <Td colSpan={6}>
                    <PciOptionsFields
                      bdf={d.bdf}
                      options={sel.options}
                      isDisabled={isDisabled}
                      onChange={(o) => onChange(setSelectionOptions(value, d.bdf, o))}
                    />
                  </Td>
                </Tr>
              ),
            ];
          })}
        </Tbody>
      </Table>
      <PciSelectionIssues issues={issues} />
    </div>
  );
}

export interface PciPickerProps {
  hostId: string;
  connected: boolean;
  value: PciSelection[];
  onChange(v: PciSelection[]): void;
  /** An inventory the caller already has (otherwise the picker reads pci.list itself). */
  inventory?: PciInventory;
  exclude?: string[];
  guest?: string;
  isDisabled?: boolean;
}

/** The picker for any page: reads the host's devices itself unless given them. */
export function PciPicker({ hostId, connected, value, onChange, inventory, exclude, guest, isDisabled }: PciPickerProps) {
  const { t } = useTranslation();
  const own = usePciInventory(hostId, connected && !inventory);
  const inv = inventory ?? own.inv;
  if (!connected) {
    return (
      <EmptyState titleText={t('pci.notConnected')} headingLevel="h3">
        <EmptyStateBody>{t('pci.notConnectedBody')}</EmptyStateBody>
      </EmptyState>
    );
  }
  if (!inv) return own.error ? <ErrorAlert error={own.error} /> : <Spinner size="md" aria-label={t('pci.loading')} />;
  return <PciSelectionList inv={inv} value={value} onChange={onChange} exclude={exclude} guest={guest} isDisabled={isDisabled} />;
}

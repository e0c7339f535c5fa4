// Places where feature areas plug into a guest's page without editing it: extra actions (shown
// in the page header and in the guest table's row menu) and extra tabs. Each area adds ONE entry.
import type { ReactNode } from 'react';
import type { Guest } from '../../../../electron/api/guests';
import { LazyArea, lazyNamed } from '../LazyArea';

// Each area's code loads when a guest's page first shows it.
const OpenConsoleAction = lazyNamed(() => import('../console/ConsolesView'), 'OpenConsoleAction');
const GuestCpuTab = lazyNamed(() => import('../cpu/CpuView'), 'GuestCpuTab');
const DuplicateAction = lazyNamed(() => import('../create/DuplicateAction'), 'DuplicateAction');
const GuestPciTab = lazyNamed(() => import('../pci/GuestPciTab'), 'GuestPciTab');

export interface GuestExtensionProps {
  hostId: string;
  guest: Guest;
  connected: boolean;
}

export interface GuestActionExtension {
  id: string;
  /** A button (or small group) for the page header; null when not applicable to this guest. */
  render(props: GuestExtensionProps): ReactNode;
}

export interface GuestTabExtension {
  id: string;
  /** i18n key of the tab title. */
  titleKey: string;
  /** Whether the tab applies to this guest (e.g. only running guests). */
  applies?(guest: Guest): boolean;
  render(props: GuestExtensionProps): ReactNode;
}

export const guestActions: GuestActionExtension[] = [
  { id: 'console', render: (p) => <LazyArea inline><OpenConsoleAction hostId={p.hostId} guest={p.guest} connected={p.connected} /></LazyArea> },
  { id: 'duplicate', render: (p) => <LazyArea inline><DuplicateAction hostId={p.hostId} guest={p.guest} connected={p.connected} /></LazyArea> },
];

export const guestTabs: GuestTabExtension[] = [
  {
    id: 'cpu',
    titleKey: 'cpu.title',
    render: (p) => (
      <LazyArea>
        <GuestCpuTab hostId={p.hostId} guestName={p.guest.name} connected={p.connected} hasConfig={p.guest.configPath !== null} />
      </LazyArea>
    ),
  },
  { id: 'pci', titleKey: 'pci.title', applies: (g) => g.domid !== 0, render: (p) => <LazyArea><GuestPciTab hostId={p.hostId} guest={p.guest} connected={p.connected} /></LazyArea> },
];

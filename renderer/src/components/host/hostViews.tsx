// The views (tabs) of a selected host's page. Each feature area adds one entry here.
import type { ReactNode } from 'react';
import { GuestTable } from '../GuestTable';
import { PciView } from '../pci/PciView';
import { ConsolesView } from '../console/ConsolesView';
import { CpuView } from '../cpu/CpuView';
import { HostGraphs } from '../guest/GuestGraphs';

export interface HostViewProps {
  hostId: string;
  connected: boolean;
}

export interface HostView {
  id: string;
  /** i18n key of the tab title. */
  titleKey: string;
  render(props: HostViewProps): ReactNode;
}

export const hostViews: HostView[] = [
  { id: 'guests', titleKey: 'views.guests', render: (p) => <GuestTable key={p.hostId} hostId={p.hostId} connected={p.connected} /> },
  { id: 'consoles', titleKey: 'console.view', render: (p) => <ConsolesView key={p.hostId} hostId={p.hostId} connected={p.connected} /> },
  { id: 'cpu', titleKey: 'cpu.title', render: (p) => <CpuView key={p.hostId} hostId={p.hostId} connected={p.connected} /> },
  { id: 'graphs', titleKey: 'lifecycle.graphs.hostTab', render: (p) => <HostGraphs key={p.hostId} hostId={p.hostId} connected={p.connected} /> },
  { id: 'pci', titleKey: 'pci.title', render: (p) => <PciView key={p.hostId} hostId={p.hostId} connected={p.connected} /> },
];

// The views (tabs) of a selected host's page. Each feature area adds one entry here.
import type { ReactNode } from 'react';
import { GuestTable } from '../GuestTable';
import { LazyArea, lazyNamed } from '../LazyArea';

// Only the guest table is part of the host page's first render; the other views load when opened.
const ConsolesView = lazyNamed(() => import('../console/ConsolesView'), 'ConsolesView');
const CpuView = lazyNamed(() => import('../cpu/CpuView'), 'CpuView');
const HostGraphs = lazyNamed(() => import('../guest/GuestGraphs'), 'HostGraphs');
const PciView = lazyNamed(() => import('../pci/PciView'), 'PciView');

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
  { id: 'consoles', titleKey: 'console.view', render: (p) => <LazyArea><ConsolesView key={p.hostId} hostId={p.hostId} connected={p.connected} /></LazyArea> },
  { id: 'cpu', titleKey: 'cpu.title', render: (p) => <LazyArea><CpuView key={p.hostId} hostId={p.hostId} connected={p.connected} /></LazyArea> },
  { id: 'graphs', titleKey: 'lifecycle.graphs.hostTab', render: (p) => <LazyArea><HostGraphs key={p.hostId} hostId={p.hostId} connected={p.connected} /></LazyArea> },
  { id: 'pci', titleKey: 'pci.title', render: (p) => <LazyArea><PciView key={p.hostId} hostId={p.hostId} connected={p.connected} /></LazyArea> },
];

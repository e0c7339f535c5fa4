// The views (tabs) of a selected host's page. Each feature area adds one entry here.
import type { ReactNode } from 'react';
import { GuestTable } from '../GuestTable';
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
  { id: 'graphs', titleKey: 'lifecycle.graphs.hostTab', render: (p) => <HostGraphs key={p.hostId} hostId={p.hostId} connected={p.connected} /> },
];

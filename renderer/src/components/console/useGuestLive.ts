// Whether a guest is running (and as which domain) and whether its host is connected, from the
// live store: what decides when a console that ended can reattach.
import { useStore } from '../../state/context';

export function useGuestLive(hostId: string, guest: string): { running: boolean; domid: number | null; hvm: boolean; connected: boolean } {
  const g = useStore((s) => {
    for (const x of s.guests.get(hostId)?.values() ?? []) if (x.name === guest) return x;
    return undefined;
  });
  const connected = useStore((s) => s.hosts.find((h) => h.id === hostId)?.state === 'connected');
  const running = !!g && g.domid !== null && g.state !== 'shut off' && g.state !== 'dying' && g.state !== 'shutdown';
  return { running, domid: g?.domid ?? null, hvm: g?.type === 'hvm', connected };
}

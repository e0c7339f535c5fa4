// Events the backend pushes to the renderer.
import { z } from 'zod';
import { HostId, HostInfo, HostSummary } from './hosts';
import { Guest, GuestStats } from './guests';
import { TaskEvents } from './tasks';

export const Events = {
  /** A host's profile or connection state changed (also sent when one is added or removed). */
  'connection.state': HostSummary.extend({ removed: z.boolean().optional() }),
  'host.changed': z.object({ hostId: HostId, info: HostInfo }),
  /** Deltas: guests added or whose fields changed, and ids of guests that are gone. */
  'guests.changed': z.object({
    hostId: HostId,
    upserted: z.array(Guest),
    removed: z.array(z.string()),
    /** True when this delta replaces everything the client had for this host. */
    reset: z.boolean(),
  }),
  /** A live sample: new values of the live fields of guests that changed in nothing else. */
  'guests.stats': z.object({ hostId: HostId, stats: GuestStats }),
  ...TaskEvents,
} as const;

export type EventName = keyof typeof Events;
export type EventPayload<E extends EventName> = z.infer<(typeof Events)[E]>;

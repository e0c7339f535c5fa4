// Which lifecycle actions make sense for a guest in its current state. One table for the guest
// page, the table's row menu, the multi-select toolbar and the shortcuts, so they agree.
import type { Guest } from '../../../../electron/api/guests';

export type LifecycleAction =
  | 'start' | 'shutdown' | 'reboot' | 'pause' | 'resume' | 'destroy' | 'save' | 'delete';

/** Actions that ask first (they stop, lose or remove something). */
export const CONFIRM: ReadonlySet<LifecycleAction> = new Set(['shutdown', 'reboot', 'destroy', 'delete']);

export function availableActions(g: Guest): LifecycleAction[] {
  if (g.isControlDomain) return [];
  if (g.domid === null) return g.configPath ? ['start', 'delete'] : [];
  switch (g.state) {
    case 'paused':
      return ['resume', 'shutdown', 'destroy', 'save'];
    case 'running':
    case 'blocked':
      return ['shutdown', 'reboot', 'pause', 'destroy', 'save'];
    // Half-dead domains can only be forced off.
    case 'shutdown':
    case 'crashed':
    case 'dying':
      return ['destroy'];
    default:
      return [];
  }
}

export function canDo(g: Guest, a: LifecycleAction): boolean {
  return availableActions(g).includes(a);
}

/** Actions offered for several selected guests at once (no file or config choices involved). */
export const BULK_ACTIONS: LifecycleAction[] = ['start', 'shutdown', 'reboot', 'pause', 'resume', 'destroy'];

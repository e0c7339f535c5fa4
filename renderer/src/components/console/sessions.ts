// The consoles a user has open, per host, outliving the view that shows them: switching views
// unmounts the terminals (and ends their streams); coming back reattaches and restores the
// screen from the serialize addon's snapshot.
import { useSyncExternalStore } from 'react';
import type { ConsoleKind, TextConsoleType } from '../../../../electron/api/consoles';

export interface ConsoleTab {
  /** Stable key: host, guest, kind. */
  key: string;
  hostId: string;
  guest: string;
  kind: ConsoleKind;
  /** Undefined: the backend picks the guest's own (serial for HVM). */
  textType?: TextConsoleType;
}

type Listener = () => void;
const tabs = new Map<string, ConsoleTab[]>();
const listeners = new Set<Listener>();
const snapshots = new Map<string, string>();
const active = new Map<string, string>();
const EMPTY: ConsoleTab[] = [];

function emit() {
  for (const l of [...listeners]) l();
}

export function consoleKey(hostId: string, guest: string, kind: ConsoleKind): string {
  return `${hostId}/${guest}/${kind}`;
}

export function openConsoleTab(hostId: string, guest: string, kind: ConsoleKind, textType?: TextConsoleType): string {
  const key = consoleKey(hostId, guest, kind);
  const list = tabs.get(hostId) ?? [];
  if (!list.some((t) => t.key === key)) tabs.set(hostId, [...list, { key, hostId, guest, kind, textType }]);
  active.set(hostId, key);
  emit();
  return key;
}

export function closeConsoleTab(hostId: string, key: string): void {
  tabs.set(hostId, (tabs.get(hostId) ?? []).filter((t) => t.key !== key));
  snapshots.delete(key);
  if (active.get(hostId) === key) active.delete(hostId);
  emit();
}

export function setActiveConsole(hostId: string, key: string): void {
  active.set(hostId, key);
  emit();
}

export function saveSnapshot(key: string, content: string): void {
  snapshots.set(key, content);
}
export function takeSnapshot(key: string): string | undefined {
  const s = snapshots.get(key);
  snapshots.delete(key);
  return s;
}

function subscribe(l: Listener) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useConsoleTabs(hostId: string): { tabs: ConsoleTab[]; active: string | undefined } {
  const list = useSyncExternalStore(subscribe, () => tabs.get(hostId) ?? EMPTY);
  const current = useSyncExternalStore(subscribe, () => active.get(hostId));
  return { tabs: list, active: current };
}

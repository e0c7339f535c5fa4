// Keyboard shortcuts for the main actions. One table drives both the key handling and the help
// dialog, so they cannot drift apart: each entry says on which page it works, and `?` lists the
// entries of the page it is pressed on. Single-letter keys are ignored while typing in a field
// and while a dialog is open.
import { useEffect, useRef } from 'react';

export type ShortcutId =
  | 'addHost'
  | 'focusFilter'
  | 'help'
  | 'connect'
  | 'disconnect'
  | 'removeHost'
  | 'nextHost'
  | 'previousHost'
  | 'guestStart'
  | 'guestShutdown'
  | 'guestReboot'
  | 'guestPause'
  | 'guestResume'
  | 'guestDestroy'
  | 'tabs';

/** Where the user is: the welcome page, a host's page (and which of its views), a guest's page. */
export type ShortcutPlace = { page: 'start' } | { page: 'host'; view: string } | { page: 'guest' };

export interface ShortcutDef {
  id: ShortcutId;
  /** Key combinations, as shown in the help dialog ("Mod" is Ctrl, or ⌘ on macOS). */
  keys: string[][];
  match: (e: KeyboardEvent) => boolean;
  /** Works even while focus is in a text field (only for modifier combinations). */
  inFields?: boolean;
  /** The places it works in; everywhere when absent. */
  on?: (p: ShortcutPlace) => boolean;
}

const onHostPage = (p: ShortcutPlace) => p.page === 'host';
const onGuestPage = (p: ShortcutPlace) => p.page === 'guest';
const letter = (k: string) => (e: KeyboardEvent) => e.key.toLowerCase() === k && plain(e) && !e.shiftKey;

const mod = (e: KeyboardEvent) => (isMac() ? e.metaKey : e.ctrlKey) && !e.altKey;
const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

export const SHORTCUTS: ShortcutDef[] = [
  {
    id: 'addHost',
    keys: [['Mod', 'N'], ['N']],
    match: (e) => e.key.toLowerCase() === 'n' && (mod(e) || plain(e)) && !e.shiftKey,
  },
  {
    id: 'focusFilter',
    keys: [['Mod', 'F'], ['/']],
    match: (e) => (e.key.toLowerCase() === 'f' && mod(e) && !e.shiftKey) || (e.key === '/' && plain(e)),
    inFields: true,
    on: (p) => p.page === 'host' && p.view === 'guests',
  },
  { id: 'help', keys: [['?']], match: (e) => e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey },
  { id: 'connect', keys: [['C']], match: letter('c'), on: onHostPage },
  { id: 'disconnect', keys: [['D']], match: letter('d'), on: onHostPage },
  { id: 'removeHost', keys: [['Delete']], match: (e) => e.key === 'Delete' && plain(e), on: onHostPage },
  { id: 'nextHost', keys: [['Alt', '↓']], match: (e) => e.key === 'ArrowDown' && e.altKey && !e.ctrlKey && !e.metaKey },
  { id: 'previousHost', keys: [['Alt', '↑']], match: (e) => e.key === 'ArrowUp' && e.altKey && !e.ctrlKey && !e.metaKey },
  { id: 'guestStart', keys: [['S']], match: letter('s'), on: onGuestPage },
  { id: 'guestShutdown', keys: [['H']], match: letter('h'), on: onGuestPage },
  { id: 'guestReboot', keys: [['R']], match: letter('r'), on: onGuestPage },
  { id: 'guestPause', keys: [['P']], match: letter('p'), on: onGuestPage },
  { id: 'guestResume', keys: [['U']], match: letter('u'), on: onGuestPage },
  { id: 'guestDestroy', keys: [['F']], match: letter('f'), on: onGuestPage },
  // Handled by the focused tab list itself (KeyboardTabs): listed in the help, never matched here.
  { id: 'tabs', keys: [['←'], ['→'], ['Home'], ['End']], match: () => false, on: (p) => p.page !== 'start' },
];

/** The shortcuts that work where the user is, in the table's order. */
export function shortcutsFor(place: ShortcutPlace): ShortcutDef[] {
  return SHORTCUTS.filter((s) => !s.on || s.on(place));
}


function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

/**
 * Installs the handlers of the shortcuts that work at `place` on window. `enabled` is false while
 * one of the caller's dialogs is open; no shortcut works while any dialog is open.
 */
export function useShortcuts(handlers: Partial<Record<ShortcutId, () => void>>, enabled: boolean, place: ShortcutPlace) {
  const ref = useRef(handlers);
  ref.current = handlers;
  const placeKey = JSON.stringify(place);
  useEffect(() => {
    if (!enabled) return;
    const here = shortcutsFor(JSON.parse(placeKey) as ShortcutPlace);
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing || document.querySelector('[role="dialog"]')) return;
      const typing = inTextField(e.target);
      for (const s of here) {
        if (!s.match(e)) continue;
        const isModCombo = e.ctrlKey || e.metaKey;
        if (typing && !(s.inFields && isModCombo)) return;
        const run = ref.current[s.id];
        if (!run) return;
        e.preventDefault();
        run();
        return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, placeKey]);
}

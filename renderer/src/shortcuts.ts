// Keyboard shortcuts for the main actions. One table drives both the key handling and the help
// dialog, so they cannot drift apart. Single-letter keys are ignored while typing in a field.
import { useEffect, useRef } from 'react';

export type ShortcutId =
  | 'addHost'
  | 'focusFilter'
  | 'help'
  | 'connect'
  | 'disconnect'
  | 'removeHost'
  | 'nextHost'
  | 'previousHost';

export interface ShortcutDef {
  id: ShortcutId;
  /** Key combinations, as shown in the help dialog ("Mod" is Ctrl, or ⌘ on macOS). */
  keys: string[][];
  match: (e: KeyboardEvent) => boolean;
  /** Works even while focus is in a text field (only for modifier combinations). */
  inFields?: boolean;
}

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
  },
  { id: 'help', keys: [['?']], match: (e) => e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey },
  { id: 'connect', keys: [['C']], match: (e) => e.key.toLowerCase() === 'c' && plain(e) && !e.shiftKey },
  { id: 'disconnect', keys: [['D']], match: (e) => e.key.toLowerCase() === 'd' && plain(e) && !e.shiftKey },
  { id: 'removeHost', keys: [['Delete']], match: (e) => e.key === 'Delete' && plain(e) },
  { id: 'nextHost', keys: [['Alt', '↓']], match: (e) => e.key === 'ArrowDown' && e.altKey && !e.ctrlKey && !e.metaKey },
  { id: 'previousHost', keys: [['Alt', '↑']], match: (e) => e.key === 'ArrowUp' && e.altKey && !e.ctrlKey && !e.metaKey },
];

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

/** Installs the handlers on window. `enabled` is false while a dialog is open. */
export function useShortcuts(handlers: Partial<Record<ShortcutId, () => void>>, enabled: boolean) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const typing = inTextField(e.target);
      for (const s of SHORTCUTS) {
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
  }, [enabled]);
}

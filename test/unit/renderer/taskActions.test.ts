// Every kind of task the backend can start has a name in each language, so the task log never
// shows a key such as `cpu.setMemory`. The backend's task starters take a TaskAction (the type
// checker refuses any other string), so this list is every task kind there is.
import { describe, expect, it } from 'vitest';
import { TaskAction } from '../../../electron/api/tasks';
import { resources } from '../../../renderer/src/i18n';

function named(lang: 'en' | 'de', action: string): unknown {
  return ['tasks', 'action', ...action.split('.')].reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], resources[lang].translation);
}

describe('task names', () => {
  it('knows the task kinds of every area', () => {
    const areas = new Set(TaskAction.options.map((a) => a.split('.')[0]));
    expect([...areas].sort()).toEqual(['console', 'cpu', 'guest', 'pci']);
  });

  it.each(TaskAction.options)('%s has an English and a German name', (action) => {
    for (const lang of ['en', 'de'] as const) {
      const name = named(lang, action);
      expect(typeof name === 'string' && name.length > 0, `${lang}: ${action}`).toBe(true);
      expect(name, `${lang}: ${action}`).not.toBe(action);
    }
  });

  it('German says pause and resume, not stop', () => {
    expect(named('de', 'guest.pause')).toBe('Pausieren');
    expect(named('de', 'guest.resume')).toBe('Fortsetzen');
  });
});

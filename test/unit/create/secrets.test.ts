// A VNC password is the one secret in a guest's answers: saved templates keep every other answer
// but never the password, and the task log never shows it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateTemplateStore } from '../../../electron/store/createTemplates';
import { TaskLog } from '../../../electron/tasks/taskLog';
import type { Transport } from '../../../electron/transport/types';
import { hvmAnswers } from './fixtures';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'domus-secret-'));
  dirs.push(d);
  return d;
}

describe('VNC password', () => {
  it('is not saved in a template; every other answer is', async () => {
    const d = dir();
    const store = new CreateTemplateStore(d);
    const answers = hvmAnswers({ vnc: true, vncPassword: 'hunter2x' });
    const saved = await store.save('desk', answers);
    expect(saved.answers).toEqual({ ...answers, vncPassword: null });
    expect(readFileSync(path.join(d, 'create-templates.json'), 'utf8')).not.toContain('hunter2x');
    expect((await store.list())[0].answers).toEqual({ ...answers, vncPassword: null });
  });

  it('saved by an older Domus is not handed out, and is gone from the file at the next change', async () => {
    const d = dir();
    const old = { id: 'a1', label: 'old', savedAt: 1, answers: hvmAnswers({ vnc: true, vncPassword: 'oldpass1' }) };
    writeFileSync(path.join(d, 'create-templates.json'), JSON.stringify({ version: 1, templates: [old] }));
    const store = new CreateTemplateStore(d);
    expect((await store.list())[0].answers.vncPassword).toBeNull();
    await store.save('new', hvmAnswers());
    expect(readFileSync(path.join(d, 'create-templates.json'), 'utf8')).not.toContain('oldpass1');
  });

  it('never reaches the task log: commands, stderr and the error are redacted', async () => {
    const d = dir();
    const log = await TaskLog.open(d, () => undefined);
    const transport: Transport = {
      exec: async () => ({ code: 1, stdout: '', stderr: 'config parsing error near vncpasswd="hunter2x"\nspicepasswd = \'s3cret\'\n' }),
      stream: () => Promise.reject(new Error('unused')),
    };
    await expect(
      log.run({ hostId: 'h', hostName: 'h', action: 'guest.create' }, async (ctx) => {
        const r = await ctx.exec(transport, ['sh', '-c', 'echo "$1"', 'sh', 'vncpasswd="hunter2x"']);
        throw new Error(`xl rejected: ${r.stderr}`);
      }),
    ).rejects.toThrow();
    await log.flush();
    const shown = JSON.stringify(log.list());
    expect(shown).not.toMatch(/hunter2x|s3cret/);
    expect(readFileSync(path.join(d, 'tasks.json'), 'utf8')).not.toMatch(/hunter2x|s3cret/);
    expect(shown).toContain('vncpasswd=\\"***\\"');
  });
});

// Guest wizard templates: a wizard's answers saved under a label, on this computer (like profiles,
// an atomic JSON file in the config dir; a corrupt file is set aside, never lost). The VNC
// password is the one answer a template never keeps: it would sit in plain text in the file.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { CreateTemplate, type CreateAnswers } from '../api/create';
import { DomusError } from '../api/errors';
import { readJsonOrQuarantine, writeFileAtomic } from './atomicFile';

const MAX_TEMPLATES = 200;
const TemplatesFile = z.object({ version: z.literal(1), templates: z.array(CreateTemplate) });

function withoutSecrets(t: CreateTemplate): CreateTemplate {
  return t.answers.vncPassword === null ? t : { ...t, answers: { ...t.answers, vncPassword: null } };
}

export class CreateTemplateStore {
  private readonly file: string;
  /** Writes one at a time, so two saves never race each other's read-modify-write. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(configDir: string) {
    this.file = path.join(configDir, 'create-templates.json');
  }

  /** Templates an older Domus saved with a password come back (and are rewritten) without it. */
  async list(): Promise<CreateTemplate[]> {
    const r = await readJsonOrQuarantine(this.file, TemplatesFile);
    return (r.value?.templates ?? []).map(withoutSecrets);
  }

  private change<T>(fn: (all: CreateTemplate[]) => { all: CreateTemplate[]; result: T }): Promise<T> {
    const next = this.queue.then(async () => {
      const { all, result } = fn(await this.list());
      await writeFileAtomic(this.file, JSON.stringify({ version: 1, templates: all }, null, 2) + '\n');
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A template of the same label is replaced (the user saved it again). */
  save(label: string, answers: CreateAnswers): Promise<CreateTemplate> {
    return this.change((all) => {
      const t: CreateTemplate = withoutSecrets({ id: randomBytes(6).toString('hex'), label, savedAt: Date.now(), answers });
      const rest = all.filter((x) => x.label !== label);
      if (rest.length >= MAX_TEMPLATES) throw new DomusError('conflict', `There are already ${MAX_TEMPLATES} templates; delete some first.`);
      return { all: [...rest, t], result: t };
    });
  }

  delete(id: string): Promise<void> {
    return this.change((all) => {
      if (!all.some((t) => t.id === id)) throw new DomusError('not_found', 'That template is not saved any more.');
      return { all: all.filter((t) => t.id !== id), result: undefined };
    });
  }
}

// Files that are never half-written and never silently replaced.
// writeFileAtomic: temp file in the same directory, fsync, rename over the target, fsync the
// directory. readJsonOrQuarantine: a file that does not parse or does not match its schema is
// renamed aside (<name>.corrupt-<timestamp>) and reported, so the user's data is still there.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.chmod(tmp, mode);
    await fs.rename(tmp, file);
  } catch (err) {
    await handle?.close().catch(() => {});
    await fs.unlink(tmp).catch(() => {});
    throw err;
  }
  if (process.platform !== 'win32') {
    // Make the rename itself durable. Best effort: some filesystems refuse to fsync a directory.
    const d = await fs.open(dir, 'r').catch(() => undefined);
    await d?.sync().catch(() => {});
    await d?.close().catch(() => {});
  }
}

export interface ReadResult<T> {
  /** undefined when the file is missing or was quarantined. */
  value: T | undefined;
  /** A sentence for the user when the file was unreadable and has been set aside. */
  problem?: string;
  /** Where the unreadable file now is. */
  quarantinedTo?: string;
}

export async function readJsonOrQuarantine<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<ReadResult<z.infer<S>>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: undefined };
    throw err;
  }
  let why: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { value: parsed.data };
    why = `its contents are not what Domus expects (${parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join('.') || 'top level'}: ${i.message}`)
      .join('; ')})`;
  } catch (err) {
    why = `it is not valid JSON (${err instanceof Error ? err.message : String(err)})`;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let aside = `${file}.corrupt-${stamp}`;
  for (let n = 1; await exists(aside); n++) aside = `${file}.corrupt-${stamp}-${n}`;
  await fs.rename(file, aside);
  return {
    value: undefined,
    quarantinedTo: aside,
    problem: `Domus could not read ${file} because ${why}. The file was kept as ${path.basename(aside)} and Domus started from an empty one.`,
  };
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

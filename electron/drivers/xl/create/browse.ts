// The remote file browser: one directory on the host, listed by find (argv only, NUL-separated).
import { DomusError } from '../../../api/errors';
import type { Run } from '../lifecycle';
import { parseFindListing, type DirEntry } from '../parse';

const MAX_ENTRIES = 5000;

export async function listDirectory(run: Run, dir: string): Promise<{ dir: string; entries: DirEntry[] }> {
  const clean = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
  const r = await run(['find', clean, '-mindepth', '1', '-maxdepth', '1', '-printf', '%y\\t%s\\t%p\\0']);
  if (r.code !== 0 && !r.stdout) {
    throw new DomusError('not_found', `${clean} could not be listed on the host.`, r.stderr.trim());
  }
  // A partly unreadable directory still lists what it can (find exits 1 and says why on stderr).
  return { dir: clean, entries: parseFindListing(r.stdout).slice(0, MAX_ENTRIES) };
}

// The save images `xl save` wrote into the host's save directory, listed in one round trip: a
// fixed python3 script (the directory is its only argument) keeps the files that start with xl's
// save header, reads the guest's name from the config xl wrote after it, and prints path, name,
// size and mtime as JSON. The name matches the same two forms diskUsage.ts reads (JSON c_info, or
// an xl.cfg "name =" line).
import { DomusError, UnreadableOutputError } from '../../api/errors';
import type { SaveImage } from '../../api/lifecycle';
import { SAVE_DIR } from './diskUsage';
import type { Run } from './lifecycle';

export const SAVE_IMAGES_SCRIPT = [
  'import glob, json, os, re, stat, sys',
  'out = []',
  'for p in glob.glob(os.path.join(sys.argv[1], "*")):',
  '    try:',
  '        st = os.stat(p)',
  '        if not stat.S_ISREG(st.st_mode):',
  '            continue',
  '        with open(p, "rb") as fh:',
  '            head = fh.read(65536)',
  '    except OSError:',
  '        continue',
  '    if not head.startswith(b"Xen saved domain, xl format"):',
  '        continue',
  '    h = head.decode("latin-1")',
  '    m = re.search(r"\\"c_info\\"\\s*:\\s*\\{.*?\\"name\\"\\s*:\\s*\\"([^\\"]*)\\"", h, re.S) or re.search(r"^\\s*name\\s*=\\s*[\\"\']([^\\"\']*)", h, re.M)',
  '    out.append({"path": p, "guest": m.group(1) if m else None, "size": st.st_size, "mtime": st.st_mtime})',
  'sys.stdout.write(json.dumps(out))',
].join('\n');

export const saveImagesArgv = (dir = SAVE_DIR): string[] => ['python3', '-c', SAVE_IMAGES_SCRIPT, dir];

/** The script's JSON as SaveImages, newest first. */
export function parseSaveImages(stdout: string): SaveImage[] {
  let v: unknown;
  try {
    v = JSON.parse(stdout);
  } catch {
    throw new UnreadableOutputError('the list of save images is not JSON', stdout);
  }
  if (!Array.isArray(v)) throw new UnreadableOutputError('the list of save images is not a list', stdout);
  const images = v.map((x: Record<string, unknown>) => {
    if (typeof x?.path !== 'string' || typeof x.size !== 'number' || typeof x.mtime !== 'number') {
      throw new UnreadableOutputError('a save image lacks its path, size or time', stdout);
    }
    return { path: x.path, guest: typeof x.guest === 'string' ? x.guest : null, sizeBytes: x.size, savedAt: Math.round(x.mtime * 1000) };
  });
  return images.sort((a, b) => b.savedAt - a.savedAt || a.path.localeCompare(b.path));
}

export async function listSaveImages(run: Run): Promise<SaveImage[]> {
  const r = await run(saveImagesArgv());
  if (r.code !== 0) throw new DomusError('command_failed', `The save images in ${SAVE_DIR} could not be listed.`, r.stderr.trim() || `exit code ${r.code}`);
  return parseSaveImages(r.stdout);
}

// A guest's name comes from the host (xl list), where any tool may have created it: a name with
// "/" or ".." in it would walk out of the directory Domus meant to write in (an autostart link in
// /etc/xen/auto, a save file). Every path Domus builds from a guest name goes through here.
import { DomusError } from './errors';

/** Whether the name can stand as one file name component as it is. */
export function isSafeFileName(name: string): boolean {
  return name !== '' && !name.includes('/') && !name.includes('..') && !name.includes('\0') && !name.includes('\n');
}

/** The name as a file name component, or a clear refusal saying what was not made. */
export function guestFileName(name: string, what: string): string {
  if (isSafeFileName(name)) return name;
  throw new DomusError(
    'invalid_input',
    `The guest name ${JSON.stringify(name)} contains "/" or ".." (or a control character), so it cannot be part of a file name on the host; Domus did not make ${what}.`,
  );
}

// `xenstore-ls -f [path]`: one node per line, `/full/path = "value"`. Values are escaped by
// libxenstore's sanitise_value: \\ \t \n \r, \ooo (3 octal digits) for bytes < 010, \xNN for
// other non-printable bytes; a double quote is NOT escaped. A node that cannot be read prints
// `/path:`. When stdout is a terminal (ssh -t, a pty) xenstore-ls cuts long lines to the terminal
// width and ends the value with `\...`: run it without a pty to get whole values.
// `xenstore-watch <path>`: one line per event, just the path (the watched path once at start).
import { count, lines } from './util';

export interface XenstoreLs {
  values: Map<string, string>;
  /** Nodes whose value was cut by xenstore-ls (pty output); not in `values`. */
  truncated: string[];
  /** Nodes printed as `/path:` (no value readable). */
  unreadable: string[];
}

/** Reverses libxenstore's sanitise_value. */
export function unescapeXenstoreValue(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === 't') out += '\t';
    else if (n === 'n') out += '\n';
    else if (n === 'r') out += '\r';
    else if (n === '\\') out += '\\';
    else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (/^[0-7]{3}$/.test(s.slice(i, i + 3))) {
      out += String.fromCharCode(parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else out += n;
  }
  return out;
}

/** A real backslash is printed as "\\", so an odd run of backslashes before "..." is the cut mark. */
function endsWithCutMark(raw: string): boolean {
  if (!raw.endsWith('...')) return false;
  let i = raw.length - 4;
  while (i >= 0 && raw[i] === '\\') i--;
  return (raw.length - 4 - i) % 2 === 1;
}

export function parseXenstoreLsDetailed(text: string): XenstoreLs {
  const values = new Map<string, string>();
  const truncated: string[] = [];
  const unreadable: string[] = [];
  for (const line of lines(text)) {
    const eq = line.indexOf(' = "');
    if (line.startsWith('/') && eq > 0 && line.endsWith('"')) {
      const path = line.slice(0, eq);
      const raw = line.slice(eq + 4, -1);
      const cut = endsWithCutMark(raw);
      if (cut) truncated.push(path);
      else values.set(path, unescapeXenstoreValue(raw));
      continue;
    }
    const u = /^(\/\S*):$/.exec(line);
    if (u) unreadable.push(u[1]);
  }
  return { values, truncated, unreadable };
}

/** path -> value for every readable node. */
export function parseXenstoreLs(text: string): Map<string, string> {
  return parseXenstoreLsDetailed(text).values;
}

/** The guest's VNC TCP port (written by QEMU), or null when it has no VNC console. */
export function getVncPort(tree: Map<string, string>, domid: number): number | null {
  const v = tree.get(`/local/domain/${domid}/console/vnc-port`);
  const port = count(v);
  return port !== null && port >= 1 && port <= 65_535 ? port : null;
}

/** The address QEMU's VNC server listens on, e.g. "127.0.0.1". */
export function getVncListen(tree: Map<string, string>, domid: number): string | null {
  return tree.get(`/local/domain/${domid}/console/vnc-listen`) ?? null;
}

export type XenstoreWatchEvent =
  | { kind: 'introduceDomain'; path: '@introduceDomain' }
  | { kind: 'releaseDomain'; path: '@releaseDomain' }
  /** domid when the path lies under /local/domain/<domid>. */
  | { kind: 'path'; path: string; domid: number | null };

/** One line of xenstore-watch output; null for an empty line. Only paths are printed, no domid. */
export function parseXenstoreWatchLine(line: string): XenstoreWatchEvent | null {
  const path = line.replace(/\r?\n$/, '').trim();
  if (!path) return null;
  if (path === '@introduceDomain') return { kind: 'introduceDomain', path };
  if (path === '@releaseDomain') return { kind: 'releaseDomain', path };
  const m = /^\/local\/domain\/(\d+)(?:\/|$)/.exec(path);
  return { kind: 'path', path, domid: m ? count(m[1]) : null };
}

// Serving the built renderer from disk, shared by browser mode (serve.ts) and the Electron
// app's domus:// protocol (main.ts): one MIME table, one traversal check, one SPA fallback.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { status: 200; file: string; size: number; type: string }
  | { status: 400 | 403 | 404 };

/**
 * Maps a URL pathname (still percent-encoded, as it came off the wire) to a file under root.
 * `root` must already be a realpath. Any ".." segment, raw or encoded, is refused outright; the
 * resolved path and its realpath (symlinks) must stay inside root. A path without an extension
 * that matches no file is a client-side route and gets index.html; a missing asset is a 404.
 */
export async function lookupStatic(root: string, rawPathname: string): Promise<StaticLookup> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPathname);
  } catch {
    return { status: 400 };
  }
  if (!pathname.startsWith('/') || pathname.includes('\0')) return { status: 400 };
  if (pathname.split(/[\\/]/).some((seg) => seg === '..')) return { status: 403 };
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);

  let file = path.resolve(root, '.' + pathname);
  if (!inside(file)) return { status: 403 };
  let stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) {
    if (path.extname(pathname) && !stat?.isDirectory()) return { status: 404 };
    file = path.join(root, 'index.html');
    stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) return { status: 404 };
  }
  const real = await fs.realpath(file).catch(() => '');
  if (!real || !inside(real)) return { status: 403 };
  return { status: 200, file: real, size: stat.size, type: mimeType(real) };
}

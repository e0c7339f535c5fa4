// Where the lab keeps its image cache and its running instance: outside the checkout, so CI runs
// and later sessions reuse a built image. The image directory is named by a hash of the recipe,
// so any change to the recipe builds a new image.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RECIPE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'image');

export function cacheRoot(): string {
  if (process.env.DOMUS_LAB_CACHE) return process.env.DOMUS_LAB_CACHE;
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'domus', 'lab');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

export function recipeHash(): string {
  const h = createHash('sha256');
  for (const file of listFiles(RECIPE_DIR).sort()) {
    h.update(relative(RECIPE_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

export interface ImagePaths {
  dir: string;
  xen: string;
  vmlinuz: string;
  initrd: string;
  rootfs: string;
  key: string;
  hostKeyPub: string;
  versions: string;
}

/**
 * The image's files. Without a hash: the image the lab was booted from, when one was (its key and
 * host key are what the running dom0 has, even after the recipe changed), else the current
 * recipe's.
 */
export function imagePaths(hash?: string): ImagePaths {
  const dir = hash ? join(cacheRoot(), hash) : (bootedImageDir() ?? join(cacheRoot(), recipeHash()));
  return {
    dir,
    xen: join(dir, 'xen'),
    vmlinuz: join(dir, 'vmlinuz'),
    initrd: join(dir, 'initrd.img'),
    rootfs: join(dir, 'rootfs.ext4'),
    key: join(dir, 'id_ed25519'),
    hostKeyPub: join(dir, 'ssh_host_ed25519_key.pub'),
    versions: join(dir, 'versions'),
  };
}

function bootedImageDir(): string | undefined {
  try {
    const st = JSON.parse(readFileSync(join(runDir(), 'state.json'), 'utf8')) as { imageDir?: string };
    return st.imageDir && existsSync(st.imageDir) ? st.imageDir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The running instance's directory. DOMUS_LAB_INSTANCE names a second instance (its own overlay,
 * port and state), so the alternative boot (no IOMMU, credit) can run beside the usual lab.
 */
export function runDir(): string {
  const instance = process.env.DOMUS_LAB_INSTANCE;
  if (!instance) return join(cacheRoot(), 'run');
  if (!/^[a-z0-9-]{1,32}$/.test(instance)) throw new Error('DOMUS_LAB_INSTANCE takes lower-case letters, digits and dashes.');
  return join(cacheRoot(), `run-${instance}`);
}

/** Image directories that a live lab instance booted from (they must survive a prune). */
export function imagesInUse(): string[] {
  const used: string[] = [];
  for (const name of readdirSync(cacheRoot())) {
    if (name !== 'run' && !name.startsWith('run-')) continue;
    try {
      const st = JSON.parse(readFileSync(join(cacheRoot(), name, 'state.json'), 'utf8')) as { pid?: number; imageDir?: string };
      const cmdline = readFileSync(`/proc/${st.pid}/cmdline`, 'utf8');
      if (st.imageDir && cmdline.includes(st.imageDir)) used.push(st.imageDir);
    } catch {
      // No state, or its QEMU is gone.
    }
  }
  return used;
}

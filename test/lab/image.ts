// Builds the lab image when no cached one matches the recipe. A build goes to a temporary
// directory and is renamed into place only when complete, so an interrupted build never leaves
// a half image that a later run would trust.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RECIPE_DIR, cacheRoot, imagePaths, imagesInUse, recipeHash, type ImagePaths } from './paths';

export function imageReady(img: ImagePaths): boolean {
  return [img.xen, img.vmlinuz, img.initrd, img.rootfs, img.key, img.versions].every((f) => existsSync(f));
}

export async function ensureImage(log: (line: string) => void): Promise<ImagePaths> {
  const hash = recipeHash();
  const img = imagePaths(hash);
  if (imageReady(img)) return img;
  mkdirSync(cacheRoot(), { recursive: true });
  const tmp = join(cacheRoot(), `${hash}.building-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  log(`No cached lab image for recipe ${hash}: building it (about 2-5 minutes).`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [join(RECIPE_DIR, 'build.sh'), tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`The lab image build failed (exit ${code}); see ${join(tmp, 'build.log')}.`)),
    );
  });
  // The base image must never change under its overlays.
  chmodSync(join(tmp, 'rootfs.ext4'), 0o444);
  rmSync(img.dir, { recursive: true, force: true });
  renameSync(tmp, img.dir);
  // Images of older recipes are 1 GB each; only a lab still running from one keeps it.
  const inUse = new Set(imagesInUse());
  for (const name of readdirSync(cacheRoot())) {
    const dir = join(cacheRoot(), name);
    if (/^[0-9a-f]{16}$/.test(name) && name !== hash && !inUse.has(dir)) rmSync(dir, { recursive: true, force: true });
  }
  log(`Lab image built in ${Math.round((Date.now() - started) / 1000)} s: ${img.dir}`);
  return img;
}

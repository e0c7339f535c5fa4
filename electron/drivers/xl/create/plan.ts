// What creating a guest will do to the host's storage, in order: the disk operations of the
// script and the plan the review page shows.
import type { CreateAnswers, CreatePreview, ImageFormat } from '../../../api/create';
import { diskTarget } from '../../../api/createRules';
import { assignVdevs, effectiveDisks } from './naming';

export type DiskOp =
  | { kind: 'create'; path: string; format: ImageFormat; sizeMiB: number }
  | { kind: 'lvcreate'; vg: string; lv: string; sizeMiB: number }
  | { kind: 'copy'; source: string; path: string; format: ImageFormat };

/** The disk operations, in the order the disks are listed. */
export function diskOps(a: Pick<CreateAnswers, 'disks'>): DiskOp[] {
  const ops: DiskOp[] = [];
  for (const d of a.disks) {
    if (d.kind === 'new') ops.push({ kind: 'create', path: d.path, format: d.format, sizeMiB: d.sizeMiB });
    else if (d.kind === 'lvm') ops.push({ kind: 'lvcreate', vg: d.vg, lv: d.lv, sizeMiB: d.sizeMiB });
    else if (d.kind === 'copy') ops.push({ kind: 'copy', source: d.source, path: d.path, format: d.format });
  }
  return ops;
}

export function diskPlan(a: CreateAnswers): CreatePreview['disks'] {
  const disks = effectiveDisks(a);
  const vdevs = assignVdevs(a.type, disks);
  return disks.map((d, i) => ({
    action: d.kind === 'new' ? 'create' : d.kind === 'lvm' ? 'lvcreate' : d.kind === 'copy' ? 'copy' : 'use',
    target: diskTarget(d) ?? '',
    format: d.kind === 'lvm' ? 'raw' : d.kind === 'cdrom' ? null : d.format,
    sizeMiB: d.kind === 'new' || d.kind === 'lvm' ? d.sizeMiB : null,
    vdev: vdevs[i],
  }));
}

/** Every path the host must be asked about before anything is made. */
export function pathsToCheck(a: CreateAnswers, configPath: string): string[] {
  const out = new Set<string>([configPath]);
  const b = a.boot;
  if (b.kind === 'kernel') {
    out.add(b.kernel);
    if (b.ramdisk) out.add(b.ramdisk);
  }
  if (b.kind === 'firmware') out.add(b.path);
  for (const d of effectiveDisks(a)) {
    const t = diskTarget(d);
    if (t) out.add(t);
    if (t && (d.kind === 'new' || d.kind === 'copy')) out.add(parentDir(t));
    if (d.kind === 'copy') out.add(d.source);
  }
  return [...out];
}

export function parentDir(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

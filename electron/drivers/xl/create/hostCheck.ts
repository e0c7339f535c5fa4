// What the host's filesystem says about the paths the answers name, asked in ONE command, and the
// problems that follow (a disk image that is already there, a kernel that is not).
import type { CreateAnswers, Problem } from '../../../api/create';
import type { Run } from '../lifecycle';
import { diskTarget } from '../../../api/createRules';
import { effectiveDisks } from './naming';
import { parentDir } from './plan';
import { describeUser, type ClaimFinding } from '../diskUsage';
import { askHost, Questions, type HostFacts, type PathKind } from '../configChecks';

export type { PathKind } from '../configChecks';

/** What is at each path on the host: asked with the config checks' one script (configChecks). */
export async function pathKinds(run: Run, paths: string[], more?: Questions): Promise<{ kinds: Map<string, PathKind>; facts: HostFacts }> {
  const q = more ?? new Questions();
  for (const p of paths) q.path(p);
  const facts = await askHost(run, q);
  return { kinds: facts.paths, facts };
}

const P = (page: Problem['page'], field: string, code: string, message: string, params: Problem['params'] = {}): Problem => ({ page, field, code, severity: 'error', params, message });

/** Problems the host's files show for these answers (the page rules cover the rest). */
export function hostProblems(a: CreateAnswers, configPath: string, kinds: Map<string, PathKind>): Problem[] {
  const out: Problem[] = [];
  const k = (p: string): PathKind => kinds.get(p) ?? '-';
  if (k(configPath) !== '-') {
    out.push(P('name', 'name', 'name.configExists', `${configPath} already exists on the host; Domus does not overwrite it. Choose another name.`, { path: configPath }));
  }
  const b = a.boot;
  const needFile = (p: string, field: string, code: string, what: string) => {
    if (k(p) !== 'f') out.push(P('boot', field, code, `There is no ${what} ${p} on the host.`, { path: p }));
  };
  if (b.kind === 'kernel') {
    needFile(b.kernel, 'kernel', 'boot.kernelMissing', 'kernel file');
    if (b.ramdisk) needFile(b.ramdisk, 'ramdisk', 'boot.ramdiskMissing', 'ramdisk file');
  }
  if (b.kind === 'firmware') needFile(b.path, 'firmware', 'boot.firmwareMissing', 'firmware file');
  if (b.kind === 'iso') needFile(b.iso, 'iso', 'boot.isoMissing', 'ISO file');
  effectiveDisks(a).forEach((d, i) => {
    const field = `disks.${i}`;
    const t = diskTarget(d);
    if (!t) return;
    const n = i + 1;
    if (d.kind === 'new' || d.kind === 'copy' || d.kind === 'lvm') {
      if (k(t) !== '-') out.push(P('storage', field, 'storage.exists', `Disk ${n}: ${t} already exists on the host; Domus does not overwrite it. Choose another path.`, { n, path: t }));
      else if (d.kind !== 'lvm' && k(parentDir(t)) !== 'd') out.push(P('storage', field, 'storage.dirMissing', `Disk ${n}: the directory ${parentDir(t)} does not exist on the host.`, { n, dir: parentDir(t) }));
    }
    if (d.kind === 'copy' && k(d.source) !== 'f' && k(d.source) !== 'b') {
      out.push(P('storage', field, 'storage.sourceMissing', `Disk ${n}: there is no image ${d.source} to copy.`, { n, path: d.source }));
    }
    if (d.kind === 'existing' && k(t) !== 'f' && k(t) !== 'b') {
      out.push(P('storage', field, 'storage.missing', `Disk ${n}: there is no image or device ${t} on the host.`, { n, path: t }));
    }
    if (d.kind === 'cdrom' && b.kind !== 'iso' && k(t) !== 'f' && k(t) !== 'b') {
      out.push(P('storage', field, 'storage.missing', `Disk ${n}: there is no image or device ${t} on the host.`, { n, path: t }));
    }
  });
  return out;
}

const FINDING_CODE: Record<ClaimFinding['verdict']['kind'], string> = {
  refused: 'storage.inUse',
  overridden: 'storage.sharedConfirmed',
  sharedReadOnly: 'storage.sharedReadOnly',
  sharedMixed: 'storage.sharedMixed',
};

/** What other guests and dom0 do with the disks, on the storage page; refusals are errors. */
export function diskUseProblems(a: CreateAnswers, findings: ClaimFinding[]): Problem[] {
  const disks = effectiveDisks(a);
  return findings.map((f) => {
    const i = disks.findIndex((d) => diskTarget(d) === f.target);
    const code = f.verdict.kind === 'refused' && f.verdict.byHost ? 'storage.inUseByHost' : FINDING_CODE[f.verdict.kind];
    return {
      page: 'storage',
      field: i >= 0 ? `disks.${i}` : 'disks',
      code,
      severity: f.verdict.kind === 'refused' ? 'error' : 'warning',
      params: { n: i + 1, path: f.target, users: f.others.map(describeUser).join(', '), overridable: f.verdict.kind === 'refused' && f.verdict.overridable ? 1 : 0 },
      message: `Disk ${i + 1}: ${f.message}`,
    } satisfies Problem;
  });
}

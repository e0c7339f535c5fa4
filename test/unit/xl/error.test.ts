import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlError, parseXlError } from '../../../electron/drivers/xl/parse';

function errorOf(name: string) {
  const fx = labFixture(name);
  const r = parseXlError(fx.stderr);
  expect(XlError.parse(r)).toEqual(r);
  expect(r.lines).toEqual(fx.stderr.split('\n').filter((l) => l.trim()));
  expect(r.summary).not.toMatch(/^libxl:/);
  expect(r.summary).not.toMatch(/\.c:\d+:/);
  expect(r.summary).not.toMatch(/^Domain \d+:/);
  return { fx, r };
}

describe('parseXlError on xl stderr recorded in the lab', () => {
  it('duplicate name on create: the first libxl error, not the cleanup cascade', () => {
    const { fx, r } = errorOf('error-duplicate-name');
    expect(fx.exitCode).not.toBe(0);
    expect(r.summary).toMatch(/^Domain with name ".+" already exists\.$/);
    expect(r.cause).toMatchObject({ origin: 'libxl', level: 'error', file: 'libxl_domain.c' });
    expect(r.cause!.domid).toEqual(expect.any(Number));
  });

  it('vcpu-pin with a vCPU the guest does not have', () => {
    const { r } = errorOf('error-vcpu-pin-bad');
    expect(r.summary).toBe('Setting vcpu affinity: Invalid argument');
  });

  it('pci-assignable-add twice: only a warning, which becomes the summary', () => {
    const { r } = errorOf('error-assignable-add-twice');
    expect(r.cause!.level).toBe('warning');
    expect(r.summary).toMatch(/^\S+ already assigned to pciback$/);
  });

  it('mem-set above the static maximum', () => {
    const { r } = errorOf('error-mem-set-above-max');
    expect(r.summary).toBe('memory_dynamic_max must be less than or equal to memory_static_max');
  });

  it('sched-credit on a credit2 host', () => {
    const { r } = errorOf('error-sched-credit-on-credit2');
    expect(r.summary).toMatch(/credit/);
    expect(r.summary).not.toMatch(/^libxl_domain_sched_params_set failed/);
  });

  it("console of a domain that doesn't exist: xl's own line", () => {
    const { r } = errorOf('error-console-unknown-domain');
    expect(r.summary).toMatch(/^\S+ is an invalid domain identifier \(rc=-6\)$/);
    expect(r.cause!.origin).toBe('xl');
  });

  it('pci-attach to a guest created without passthrough: the cause, not the harmless reset message', () => {
    const { r } = errorOf('error-pci-attach-no-passthrough');
    expect(r.summary).toBe('xc_assign_device failed: Operation not supported');
    expect(r.lines[0]).toMatch(/doesn't support reset from sysfs/);
  });

  it('returns an empty summary for empty stderr', () => {
    expect(parseXlError('')).toEqual({ lines: [], summary: '', cause: null, messages: [] });
  });
});

// A small test double of the backend, good enough to exercise the adapters; the real backend
// has its own tests.
import { DomusError } from '../../../electron/api/errors';
import type { Backend } from '../../../electron/api/methods';
import type { HostSummary } from '../../../electron/api/hosts';

export const host: HostSummary = { id: 'lab', name: 'Lab', kind: 'local', state: 'disconnected' };

/** Methods not given here fail with "unsupported", so the double needn't grow with the contract. */
export function testBackend(overrides: Partial<Backend> = {}): Backend {
  const notFound = async () => {
    throw new DomusError('not_found', 'There is no such host.', 'lookup: lab2');
  };
  const methods: Partial<Backend> = {
    'app.info': async () => ({ version: '0.0.0-test', mode: 'browser', localXen: false, startupProblems: [] }),
    'hosts.list': async () => [host],
    'hosts.add': async () => host,
    'hosts.remove': async () => null,
    'hosts.connect': notFound,
    'hosts.disconnect': async () => host,
    'hosts.trustKey': async () => host,
    'hosts.sshConfigAliases': async () => [],
    'host.info': async () => null,
    'guests.list': async () => [],
    ...overrides,
  };
  return new Proxy(methods, {
    get: (target, key) =>
      target[key as keyof Backend] ??
      (async () => {
        throw new DomusError('unsupported', `The test backend has no ${String(key)}.`);
      }),
  }) as Backend;
}

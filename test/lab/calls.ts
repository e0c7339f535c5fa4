// Calling the contract on a lab backend the way the UI does (through the dispatcher's validation),
// for lab tests: a call that must succeed, and one that must be refused before reaching xl.
import { expect } from 'vitest';
import type { ApiError } from '../../electron/api/errors';
import type { MethodInput, MethodName, MethodOutput } from '../../electron/api/methods';
import type { LabBackend } from './backend';
import { until } from '../support/wait';

export function labCalls({ backend, dispatch, hostId }: LabBackend) {
  /** Under emulation the SSH link sometimes reconnects; a call needs it up. */
  const connected = () =>
    until('the lab host connected', async () => (await backend['hosts.list']({})).find((h) => h.id === hostId && h.state === 'connected'), 120_000);

  async function call<M extends MethodName>(method: M, input: Omit<MethodInput<M>, 'hostId'>): Promise<MethodOutput<M>> {
    await connected();
    const r = await dispatch(method, { hostId, ...input });
    if (!r.ok) throw Object.assign(new Error(`${r.error.message} ${r.error.detail ?? ''}`), r.error);
    return r.value as MethodOutput<M>;
  }

  /** Refused, and before reaching xl: no task ran. */
  async function refused<M extends MethodName>(method: M, input: Omit<MethodInput<M>, 'hostId'>): Promise<ApiError> {
    await connected();
    const tasksBefore = (await backend['tasks.list']({})).length;
    const r = await dispatch(method, { hostId, ...input });
    expect(r.ok, `${method} ${JSON.stringify(input)} should be refused`).toBe(false);
    expect((await backend['tasks.list']({})).length).toBe(tasksBefore);
    return (r as { ok: false; error: ApiError }).error;
  }

  return { connected, call, refused };
}

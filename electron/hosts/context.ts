// What every area's handlers get: the hosts, the task log, the event bus, the options.
import type { EventBus } from '../api/dispatcher';
import { DomusError } from '../api/errors';
import type { Methods } from '../api/methods';
import type { TaskAction } from '../api/tasks';
import type { Backend } from '../api/methods';
import type { TaskLog, TaskMeta } from '../tasks/taskLog';
import type { SecretStore } from '../store/secretStore';
import type { Transport } from '../transport/types';
import type { HostConnection } from './hostConnection';

export interface BackendContext {
  readonly configDir: string;
  readonly mode: 'electron' | 'browser';
  readonly secrets: SecretStore;
  readonly bus: EventBus;
  readonly tasks: TaskLog;
  readonly hosts: Map<string, HostConnection>;
  readonly sshConfigFile?: string;
  /** Problems met while loading saved state (a corrupt file set aside): shown to the user. */
  readonly startupProblems: string[];
}

/** Handlers of one area of the contract. */
export type Handlers<K extends keyof typeof Methods> = Pick<Backend, K>;

export function hostOf(ctx: BackendContext, hostId: string): HostConnection {
  const h = ctx.hosts.get(hostId);
  if (!h) throw new DomusError('not_found', 'That host is not in Domus (it may have been removed).');
  return h;
}

/** The transport of a connected host, or a clear error. */
export function transportOf(ctx: BackendContext, hostId: string): { host: HostConnection; transport: Transport } {
  const host = hostOf(ctx, hostId);
  const transport = host.transport;
  if (!transport) throw new DomusError('connection_lost', `Domus is not connected to ${host.profile.name}; connect it first.`);
  return { host, transport };
}

/** The task metadata for an operation on a host. */
export function taskMeta(host: HostConnection, action: TaskAction, target?: string, cancellable = false): TaskMeta {
  return { hostId: host.id, hostName: host.profile.name, action, ...(target ? { target } : {}), cancellable };
}

// The backend behind the contract: holds every host's connection and live state, the task log,
// and each area's handlers. Both adapters (Electron, browser mode) use it.
import path from 'node:path';
import type { EventBus } from '../api/dispatcher';
import { namingHost } from '../api/errors';
import type { Backend } from '../api/methods';
import { KnownHosts } from '../store/knownHosts';
import { ProfileStore } from '../store/profiles';
import type { SecretStore } from '../store/secretStore';
import { TaskLog } from '../tasks/taskLog';
import type { BackendContext } from './context';
import type { HostConnection } from './hostConnection';
import { attachHost, hostHandlers } from './handlers/hostHandlers';
import { taskHandlers } from './handlers/taskHandlers';
import { pciHandlers } from './handlers/pciHandlers';
import { lifecycleHandlers } from './handlers/lifecycleHandlers';
import { cpuHandlers } from './handlers/cpuHandlers';
import { consoleHandlers } from './handlers/consoleHandlers';
import { createHandlers } from './handlers/createHandlers';
import { StreamRegistry } from '../streams/registry';

export interface BackendOptions {
  configDir: string;
  secrets: SecretStore;
  bus: EventBus;
  mode: 'electron' | 'browser';
  /** Defaults to ~/.ssh/known_hosts; null reads no user file (tests). */
  userKnownHosts?: string | null;
  /** Defaults to ~/.ssh/config. */
  sshConfigFile?: string;
}

/** streams: the byte streams (consoles) the adapters attach the renderer to. */
export type DomusBackend = Backend & { close(): Promise<void>; streams: StreamRegistry };

export async function createBackend(opts: BackendOptions): Promise<DomusBackend> {
  const store = new ProfileStore(opts.configDir);
  const knownHosts = new KnownHosts({
    domusFile: path.join(opts.configDir, 'known_hosts'),
    ...(opts.userKnownHosts !== undefined ? { userFile: opts.userKnownHosts } : {}),
  });
  const startupProblems: string[] = [];
  const tasks = await TaskLog.open(opts.configDir, (task) => opts.bus.emit('task.progress', task), (p) => startupProblems.push(p));
  const ctx: BackendContext = {
    configDir: opts.configDir,
    mode: opts.mode,
    secrets: opts.secrets,
    bus: opts.bus,
    tasks,
    hosts: new Map<string, HostConnection>(),
    startupProblems,
    ...(opts.sshConfigFile ? { sshConfigFile: opts.sshConfigFile } : {}),
  };
  const reg = { store, knownHosts };
  const streams = new StreamRegistry();
  const { profiles, problem } = await store.load();
  if (problem) startupProblems.push(problem);
  for (const p of profiles) attachHost(ctx, reg, p);

  const handlers: Backend = {
    ...hostHandlers(ctx, reg),
    ...taskHandlers(ctx),
    ...pciHandlers(ctx),
    ...lifecycleHandlers(ctx),
    ...cpuHandlers(ctx),
    ...consoleHandlers(ctx, streams),
    ...createHandlers(ctx),
  };
  return {
    ...namingHostsInErrors(ctx, handlers),
    streams,
    async close() {
      streams.closeAll();
      for (const h of ctx.hosts.values()) h.disconnect();
      await tasks.flush();
    },
  };
}

/**
 * A parser does not know which host printed the text it could not read: a call about a host
 * (its params carry hostId) turns such an error into one that names the host.
 */
function namingHostsInErrors(ctx: BackendContext, handlers: Backend): Backend {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(handlers) as [string, (params: unknown) => Promise<unknown>][]) {
    out[name] = async (params: unknown) => {
      try {
        return await fn(params);
      } catch (err) {
        const hostId = (params as { hostId?: unknown } | null)?.hostId;
        const host = typeof hostId === 'string' ? ctx.hosts.get(hostId) : undefined;
        throw host ? namingHost(err, host.profile.name) : err;
      }
    };
  }
  return out as unknown as Backend;
}

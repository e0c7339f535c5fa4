// THE CONTRACT: every method the renderer may call, with its input and output schemas. Both
// adapters (ipcMain in main.ts, WebSocket in serve.ts) validate through these before dispatching.
// Each area keeps its methods in its own file; this registry joins them.
import type { z } from 'zod';
import { HostMethods } from './hostMethods';
import { TaskMethods } from './tasks';
import { PciMethods } from './pci';
import { LifecycleMethods } from './lifecycle';
import { ConsoleMethods } from './consoles';
import { CpuMethods } from './cpu';
import { CreateMethods } from './create';

export const Methods = {
  ...HostMethods,
  ...TaskMethods,
  ...PciMethods,
  ...LifecycleMethods,
  ...ConsoleMethods,
  ...CpuMethods,
  ...CreateMethods,
} as const;


export type MethodName = keyof typeof Methods;
export type MethodInput<M extends MethodName> = z.input<(typeof Methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof Methods)[M]['output']>;

/** What the backend (electron/hosts) implements; the dispatcher calls it with validated input. */
export type Backend = {
  [M in MethodName]: (input: z.infer<(typeof Methods)[M]['input']>) => Promise<MethodOutput<M>>;
};

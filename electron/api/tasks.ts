// The task log: every operation Domus runs on a host, with its outcome and the tool's own words.
import { z } from 'zod';
import { ApiError } from './errors';
import { None } from './common';

export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type TaskState = z.infer<typeof TaskState>;

/** Every kind of task the backend runs; the UI names each in every language (a unit test checks). */
export const TaskAction = z.enum([
  'guest.start', 'guest.shutdown', 'guest.reboot', 'guest.pause', 'guest.resume', 'guest.destroy',
  'guest.save', 'guest.restore', 'guest.delete', 'guest.autostartOn', 'guest.autostartOff',
  'guest.editConfig', 'guest.create', 'guest.duplicate',
  'cpu.setSched', 'cpu.setPinning', 'cpu.setVcpus', 'cpu.setMemory', 'cpu.movePool',
  'cpu.poolCreate', 'cpu.poolDestroy', 'cpu.poolMoveCpu',
  'console.sysrq', 'console.ctrlAltDel',
  'pci.makeAssignable', 'pci.giveBack', 'pci.attach', 'pci.detach', 'pci.configure', 'pci.unconfigure',
  'pci.enablePassthrough',
]);
export type TaskAction = z.infer<typeof TaskAction>;

export const TaskStep = z.object({
  /** The command line as it ran, with secrets replaced by "***". */
  command: z.string(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  exitCode: z.number().nullable().optional(),
  /** The tool's stderr when it failed (bounded). */
  stderr: z.string().optional(),
});
export type TaskStep = z.infer<typeof TaskStep>;

export const Task = z.object({
  id: z.string(),
  hostId: z.string(),
  hostName: z.string(),
  /** What ran, as a key the UI translates (e.g. "guest.start"): a TaskAction, but a log written by
   * another version of Domus may hold one this version does not know, so any string is read. */
  action: z.string(),
  /** The guest (or other object) it ran on, by name. */
  target: z.string().optional(),
  state: TaskState,
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** 0..1, or null while the length of the work is unknown (indeterminate). */
  progress: z.number().min(0).max(1).nullable(),
  cancellable: z.boolean(),
  steps: z.array(TaskStep),
  /** What the user decided along the way, in words (e.g. a disk confirmed as shared on purpose). */
  notes: z.array(z.string()).optional(),
  error: ApiError.optional(),
});
export type Task = z.infer<typeof Task>;

export const TaskMethods = {
  'tasks.list': { input: None, output: z.array(Task) },
  'tasks.cancel': { input: z.object({ taskId: z.string().max(64) }).strict(), output: Task },
} as const;

export const TaskEvents = {
  /** A task started, progressed or ended: the whole task, replacing the client's copy. */
  'task.progress': Task,
} as const;

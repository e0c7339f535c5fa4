// Every operation becomes a task: host, target, what, when, outcome, each command line that ran
// (secrets redacted) and the tool's stderr when it failed. Kept in tasks.json (bounded, atomic
// writes), so the log survives restarts; tasks that were running when Domus stopped are marked
// as interrupted on the next start, never as done.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { DomusError, namingHost, toApiError } from '../api/errors';
import { Task, type TaskAction } from '../api/tasks';
import { readJsonOrQuarantine, writeFileAtomic } from '../store/atomicFile';
import { commandLine } from '../transport/argv';
import type { ExecOptions, ExecResult, Transport } from '../transport/types';

const MAX_TASKS = 500;

// A display password in a command line, xl's stderr or an error: `vncpasswd="x"` (xl.cfg),
// `"passwd": "x"` (xl list -l). The value is masked whatever its quoting.
const PASSWORD_SETTING = /(["']?)\b((?:vnc|spice)?passwd)\1(\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;\]}]+)/gi;

/** The text with the value of every vncpasswd/spicepasswd/passwd setting replaced by ***. */
export function redactPasswords(text: string): string {
  return text.replace(PASSWORD_SETTING, (_all, q: string, key: string, sep: string, value: string) => {
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    return `${q}${key}${q}${sep}${quote}***${quote}`;
  });
}
const MAX_STDERR = 8_000;
const TasksFile = z.object({ version: z.literal(1), tasks: z.array(Task) });

export interface TaskMeta {
  hostId: string;
  hostName: string;
  action: TaskAction;
  target?: string;
  cancellable?: boolean;
}

export interface TaskContext {
  readonly signal: AbortSignal;
  /** Runs argv on the host as a step of this task. `secrets` are masked in the log. */
  exec(transport: Transport, argv: readonly string[], opts?: ExecOptions & { secrets?: string[] }): Promise<ExecResult>;
  /** 0..1, or null for "working, length unknown". */
  progress(p: number | null): void;
  /** Records a sentence in the task (a decision the user made, such as an override). */
  note(text: string): void;
}

export class TaskLog {
  private tasks: Task[] = [];
  private readonly controllers = new Map<string, AbortController>();
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly onChange: (task: Task) => void,
  ) {}

  static async open(configDir: string, onChange: (task: Task) => void, onProblem: (sentence: string) => void = () => {}): Promise<TaskLog> {
    const log = new TaskLog(path.join(configDir, 'tasks.json'), onChange);
    const r = await readJsonOrQuarantine(log.file, TasksFile);
    if (r.problem) onProblem(r.problem);
    log.tasks = (r.value?.tasks ?? []).map((t) =>
      t.state === 'running'
        ? {
            ...t,
            state: 'failed' as const,
            endedAt: t.endedAt ?? Date.now(),
            error: { code: 'internal' as const, message: 'Domus stopped while this task was running; its outcome is unknown.' },
          }
        : t,
    );
    return log;
  }

  list(): Task[] {
    return [...this.tasks];
  }

  cancel(taskId: string): Task {
    const task = this.tasks.find((t) => t.id === taskId);
    if (!task) throw new DomusError('not_found', 'That task is not in the log.');
    const ctl = this.controllers.get(taskId);
    if (task.state !== 'running' || !ctl) throw new DomusError('conflict', 'That task is not running any more.');
    if (!task.cancellable) throw new DomusError('unsupported', 'This task cannot be cancelled once started.');
    ctl.abort(new DomusError('command_failed', 'Cancelled by the user.'));
    return task;
  }

  /** Runs fn as a task; resolves or rejects with fn's outcome after recording it. */
  async run<T>(meta: TaskMeta, fn: (ctx: TaskContext) => Promise<T>): Promise<T> {
    const ctl = new AbortController();
    const task: Task = {
      id: randomBytes(8).toString('hex'),
      hostId: meta.hostId,
      hostName: meta.hostName,
      action: meta.action,
      ...(meta.target ? { target: meta.target } : {}),
      state: 'running',
      startedAt: Date.now(),
      progress: null,
      cancellable: meta.cancellable ?? false,
      steps: [],
    };
    this.tasks.push(task);
    if (this.tasks.length > MAX_TASKS) this.tasks.splice(0, this.tasks.length - MAX_TASKS);
    this.controllers.set(task.id, ctl);
    this.changed(task);

    const ctx: TaskContext = {
      signal: ctl.signal,
      progress: (p) => {
        task.progress = p;
        this.changed(task);
      },
      note: (text) => {
        (task.notes ??= []).push(text);
        this.changed(task);
      },
      exec: async (transport, argv, opts = {}) => {
        const { secrets = [], ...execOpts } = opts;
        let shown = redactPasswords(commandLine(argv));
        for (const s of secrets) if (s) shown = shown.split(s).join('***');
        const step = { command: shown, startedAt: Date.now() } as Task['steps'][number];
        task.steps.push(step);
        this.changed(task);
        try {
          const r = await transport.exec(argv, { signal: ctl.signal, ...execOpts });
          step.exitCode = r.code;
          if (r.code !== 0 && r.stderr) step.stderr = redactPasswords(r.stderr.slice(-MAX_STDERR));
          return r;
        } finally {
          step.endedAt = Date.now();
          this.changed(task);
        }
      },
    };

    try {
      const value = await fn(ctx);
      task.state = 'succeeded';
      task.progress = 1;
      return value;
    } catch (err) {
      task.state = ctl.signal.aborted ? 'cancelled' : 'failed';
      // A parse error names the host whose output it could not read.
      const named = namingHost(err, meta.hostName);
      const e = toApiError(named);
      task.error = { ...e, message: redactPasswords(e.message), ...(e.detail === undefined ? {} : { detail: redactPasswords(e.detail) }) };
      throw named;
    } finally {
      task.endedAt = Date.now();
      this.controllers.delete(task.id);
      this.changed(task);
    }
  }

  private changed(task: Task): void {
    this.onChange(structuredClone(task));
    if (!this.saveTimer) {
      this.saveTimer = setTimeout(() => {
        this.saveTimer = null;
        void this.flush();
      }, 200);
    }
  }

  /** Writes the log now (also on shutdown). */
  flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const data = JSON.stringify({ version: 1, tasks: this.tasks }) + '\n';
    this.saving = this.saving.then(() => writeFileAtomic(this.file, data, 0o600)).catch((err) => {
      console.error('domus: could not save the task log:', err);
    });
    return this.saving;
  }
}

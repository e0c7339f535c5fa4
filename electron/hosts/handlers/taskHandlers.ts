import type { BackendContext, Handlers } from '../context';

export function taskHandlers(ctx: BackendContext): Handlers<'tasks.list' | 'tasks.cancel'> {
  return {
    async 'tasks.list'() {
      return ctx.tasks.list();
    },
    async 'tasks.cancel'({ taskId }) {
      return ctx.tasks.cancel(taskId);
    },
  };
}

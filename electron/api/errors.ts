// Errors cross the API boundary as { code, message, detail }: message is a sentence a person
// understands, detail keeps the tool's own words (xl's stderr, a XenAPI error array).
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid_input',
  'not_found',
  'connection_failed',
  'connection_lost',
  'host_key_unknown',
  'host_key_changed',
  'host_key_revoked',
  'auth_failed',
  'command_failed',
  'permission_denied',
  'timeout',
  'unsupported',
  'conflict',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  detail: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export class DomusError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'DomusError';
  }

  toJSON(): ApiError {
    return { code: this.code, message: this.message, ...(this.detail ? { detail: this.detail } : {}) };
  }
}

/** How much of a host's raw output an error carries as its detail. */
const MAX_OUTPUT_DETAIL = 4000;

/**
 * Output from a host that Domus cannot read. A parser throws it without knowing the host; whoever
 * knows it (the connection, the handler of a call about a host, the task) turns it into the error
 * a person sees with forHost(), with the raw text, cut, as detail.
 */
export class UnreadableOutputError extends Error {
  constructor(
    message: string,
    readonly text: string,
  ) {
    super(message);
    this.name = 'UnreadableOutputError';
  }

  forHost(host: string): DomusError {
    const t = this.text;
    const raw = t.length > MAX_OUTPUT_DETAIL ? `${t.slice(0, MAX_OUTPUT_DETAIL)}\n… (${t.length} characters in all)` : t;
    return new DomusError('command_failed', `${host} printed something Domus cannot read: ${this.message}.`, raw);
  }
}

/** An UnreadableOutputError as forHost() names it; any other error as it was. */
export function namingHost(err: unknown, host: string): unknown {
  return err instanceof UnreadableOutputError ? err.forHost(host) : err;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof DomusError) return err.toJSON();
  const msg = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: 'Something went wrong inside Domus.', detail: msg };
}

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

export function toApiError(err: unknown): ApiError {
  if (err instanceof DomusError) return err.toJSON();
  const msg = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: 'Something went wrong inside Domus.', detail: msg };
}

// One dispatcher behind both adapters: look the method up in the contract, validate the
// params with its input schema, call the backend, (in dev/test) validate what the backend
// returned, and turn every outcome into a CallResult. It never throws.
// The EventBus is the other direction: the backend emits typed events into it, each adapter
// subscribes and fans them out (webContents.send in Electron, every socket in browser mode).
import type { z } from 'zod';
import { DomusError, toApiError, type ApiError } from './errors';
import { Events, type EventName, type EventPayload } from './events';
import { Methods, type Backend, type MethodName } from './methods';
import type { CallResult, EventMessage } from './wire';

export type Dispatch = (method: string, params: unknown) => Promise<CallResult>;

export interface DispatcherOptions {
  /**
   * Check the backend's results against the output schemas, so drift between the backend and
   * the contract shows up as an error instead of a confused UI. Default: on unless
   * NODE_ENV is 'production'.
   */
  validateOutput?: boolean;
}

const isProduction = () => typeof process !== 'undefined' && process.env.NODE_ENV === 'production';

/**
 * Whether a contract mismatch in an event should throw. Only where someone is watching: vitest,
 * NODE_ENV=development, or DOMUS_STRICT_CONTRACT=1. The packaged app and browser mode start
 * without NODE_ENV, and a throwing emit there took the host connection down with it, which then
 * reconnected and failed again forever; there a bad event is dropped with its reason logged.
 */
export function strictEventsByDefault(): boolean {
  if (typeof process === 'undefined') return false;
  const env = process.env;
  return Boolean(env.VITEST) || env.NODE_ENV === 'development' || env.DOMUS_STRICT_CONTRACT === '1';
}

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(Methods, name);
}

/** "profile.address: An address has only letters…; hostId: Required" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(params)'}: ${i.message}`)
    .join('; ');
}

export function createDispatcher(backend: Backend, opts: DispatcherOptions = {}): Dispatch {
  const validateOutput = opts.validateOutput ?? !isProduction();

  return async function dispatch(method: string, params: unknown): Promise<CallResult> {
    if (typeof method !== 'string' || !isMethodName(method)) {
      const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 100)) : String(typeof method);
      return fail({ code: 'invalid_input', message: `Unknown method ${shown}.` });
    }
    const spec = Methods[method];
    // A method without arguments may be called with no params at all.
    const parsed = spec.input.safeParse(params === undefined || params === null ? {} : params);
    if (!parsed.success) {
      return fail({
        code: 'invalid_input',
        message: `The call to ${method} has invalid parameters: ${describeIssues(parsed.error)}.`,
      });
    }
    const fn = (backend as unknown as Record<string, ((input: unknown) => Promise<unknown>) | undefined>)[method];
    if (typeof fn !== 'function') {
      return fail({ code: 'unsupported', message: `This Domus backend does not implement ${method}.` });
    }
    let value: unknown;
    try {
      value = await fn.call(backend, parsed.data);
    } catch (err) {
      return fail(err instanceof DomusError ? err.toJSON() : toApiError(err));
    }
    if (validateOutput) {
      const out = spec.output.safeParse(value);
      if (!out.success) {
        return fail({
          code: 'internal',
          message: `Domus's backend returned a result for ${method} that does not match the contract.`,
          detail: describeIssues(out.error),
        });
      }
      value = out.data;
    }
    // undefined does not survive JSON or structured clone the same way everywhere.
    return { ok: true, value: value === undefined ? null : value };
  };
}

function fail(error: ApiError): CallResult {
  return { ok: false, error };
}

export type EventSink = (message: EventMessage) => void;

export interface EventBusOptions {
  /** Throw on an event that does not match its schema. Default: strictEventsByDefault(). */
  strict?: boolean;
  /** Where dropped events and failing sinks are reported. */
  log?: (line: string) => void;
}

/** Typed events from the backend to every subscribed adapter, validated against Events. */
export class EventBus {
  private readonly sinks = new Set<EventSink>();
  private readonly strict: boolean;
  private readonly log: (line: string) => void;

  constructor(opts: EventBusOptions = {}) {
    this.strict = opts.strict ?? strictEventsByDefault();
    this.log = opts.log ?? ((line) => console.error(line));
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const schema = Events[name] as z.ZodType | undefined;
    if (!schema) throw new DomusError('internal', `Unknown event ${String(name)}.`);
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const why = `Event ${name} does not match the contract: ${describeIssues(parsed.error)}`;
      if (this.strict) throw new DomusError('internal', why);
      this.log(`domus: dropped an event. ${why}`);
      return;
    }
    const message: EventMessage = { type: 'event', name, payload: parsed.data };
    for (const sink of [...this.sinks]) {
      try {
        sink(message);
      } catch (err) {
        this.log(`domus: an event subscriber failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
    };
  }

  get subscriberCount(): number {
    return this.sinks.size;
  }
}

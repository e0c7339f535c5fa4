// The host's view of the current answers: create.preview (config, disk plan, every problem) run
// shortly after the user stops typing, only for answers the contract accepts. Stale results (for
// answers since changed) are never shown as current.
import { useEffect, useState } from 'react';
import { CreateAnswers, type CreatePreview } from '../../../../electron/api/create';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';

export interface HostCheck {
  preview: CreatePreview | null;
  /** The preview is for exactly the current answers. */
  current: boolean;
  error: ApiClientError | null;
}

export function useHostCheck(hostId: string, a: CreateAnswers, enabled: boolean, delayMs = 400, sharedDisks: readonly string[] = []): HostCheck {
  const client = useClient();
  const key = JSON.stringify([a, sharedDisks]);
  const [state, setState] = useState<{ key: string; preview: CreatePreview | null; error: ApiClientError | null }>({ key: '', preview: null, error: null });
  useEffect(() => {
    if (!enabled || !CreateAnswers.safeParse(a).success) return;
    let live = true;
    const timer = setTimeout(() => {
      client.call('create.preview', { hostId, answers: a, ...(sharedDisks.length ? { sharedDisks: [...sharedDisks] } : {}) }).then(
        (preview) => live && setState({ key, preview, error: null }),
        (e) => live && setState({ key, preview: null, error: toClientError(e) }),
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // key stands for a and sharedDisks.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, hostId, key, enabled, delayMs]);
  return { preview: state.preview, current: state.key === key && state.preview !== null, error: state.key === key ? state.error : null };
}

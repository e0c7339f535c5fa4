// Errors the UI shows at the top of the page (API failures outside a dialog).
import { useSyncExternalStore } from 'react';
import type { ApiClientError } from '../api/client';

export interface Notice {
  id: number;
  error: ApiClientError;
}

export class Notices {
  private list: readonly Notice[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  getSnapshot = () => this.list;
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };

  private emit() {
    for (const l of [...this.listeners]) l();
  }

  push = (error: ApiClientError) => {
    // The same message twice in a row (e.g. a retry loop) shows once.
    const last = this.list[this.list.length - 1];
    if (last && last.error.message === error.message && last.error.code === error.code) return;
    this.list = [...this.list, { id: this.nextId++, error }].slice(-5);
    this.emit();
  };

  dismiss = (id: number) => {
    this.list = this.list.filter((n) => n.id !== id);
    this.emit();
  };
}

export function useNotices(n: Notices): readonly Notice[] {
  return useSyncExternalStore(n.subscribe, n.getSnapshot);
}

// What the hosts layer needs from a toolstack driver (xl today, XenAPI later). Drivers speak the
// API's guest and host models, free of toolstack details, and know nothing about Electron.
import type { EventEmitter } from 'node:events';
import type { Guest, GuestStats } from '../api/guests';
import type { HostInfo } from '../api/hosts';

export interface GuestsDelta {
  upserted: Guest[];
  removed: string[];
  reset: boolean;
}

export interface DriverEvents {
  host: [HostInfo];
  /** Guests that appeared, went, or changed in more than their live fields. */
  guests: [GuestsDelta];
  /** A live sample's changes to guests that changed in nothing else. */
  stats: [GuestStats];
  /** Busy % of each physical CPU over the last second (drivers that can measure it). */
  pcpus: [readonly number[]];
  /** A live stream broke; the driver stopped. The hosts layer decides whether to reconnect. */
  failed: [Error];
}

export interface HostDriver extends EventEmitter<DriverEvents> {
  /** Loads the host and its guests, then keeps them live until stop(). */
  start(): Promise<void>;
  stop(): void;
  /** Re-reads everything now (after an operation Domus itself ran). */
  refresh(): Promise<void>;
  /** Someone looks at live figures (full rate) or no one does (a slower rate, where possible). */
  setWatched(watched: boolean): void;
  hostInfo(): HostInfo | null;
  guests(): Guest[];
}

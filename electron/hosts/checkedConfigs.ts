// Config texts that xl create -n accepted on a host a moment ago (the wizard's review runs the
// check as it shows), so the create that follows does not run it a second time for the same
// text. Remembered by hash for a few minutes: xl's verdict depends on the text and on the host's
// files, which the create checks again itself.
import { createHash } from 'node:crypto';

export const CHECKED_FOR_MS = 10 * 60_000;
const MAX_REMEMBERED = 200;

export class CheckedConfigs {
  private readonly at = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  private key(hostId: string, text: string): string {
    return `${hostId}\0${createHash('sha256').update(text).digest('hex')}`;
  }

  add(hostId: string, text: string): void {
    const key = this.key(hostId, text);
    this.at.delete(key);
    this.at.set(key, this.now());
    // Oldest first (insertion order): a long session's checks do not pile up.
    while (this.at.size > MAX_REMEMBERED) this.at.delete(this.at.keys().next().value!);
  }

  has(hostId: string, text: string): boolean {
    const t = this.at.get(this.key(hostId, text));
    return t !== undefined && this.now() - t < CHECKED_FOR_MS;
  }
}

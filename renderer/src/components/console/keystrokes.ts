// "Paste as keystrokes": text typed into a guest one character at a time at a rate installers
// and boot loaders keep up with, line ends as Enter.
const KEYSTROKE_INTERVAL_MS = 15;

export function toKeystrokes(text: string): string[] {
  return Array.from(text.replace(/\r\n?/g, '\n')).map((c) => (c === '\n' ? '\r' : c));
}

/** Sends one key every interval; returns a function that stops early. */
export function typeSlowly(text: string, send: (key: string) => void, intervalMs = KEYSTROKE_INTERVAL_MS, done?: () => void): () => void {
  const keys = toKeystrokes(text);
  let i = 0;
  const timer = setInterval(() => {
    if (i >= keys.length) {
      clearInterval(timer);
      done?.();
      return;
    }
    send(keys[i++]!);
  }, intervalMs);
  return () => clearInterval(timer);
}

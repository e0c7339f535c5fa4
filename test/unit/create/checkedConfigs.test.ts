// What the review's xl check vouches for: exactly that text, on that host, for a few minutes.
import { describe, expect, it } from 'vitest';
import { CHECKED_FOR_MS, CheckedConfigs } from '../../../electron/hosts/checkedConfigs';

describe('configs xl checked a moment ago', () => {
  it('vouch for the same text on the same host until they are too old', () => {
    let now = 1_000_000;
    const c = new CheckedConfigs(() => now);
    c.add('h1', 'name = "a"\n');
    expect(c.has('h1', 'name = "a"\n')).toBe(true);
    expect(c.has('h1', 'name = "a" \n')).toBe(false); // any edit needs a new check
    expect(c.has('h2', 'name = "a"\n')).toBe(false); // another host's files differ
    now += CHECKED_FOR_MS - 1;
    expect(c.has('h1', 'name = "a"\n')).toBe(true);
    now += 2;
    expect(c.has('h1', 'name = "a"\n')).toBe(false);
  });
});

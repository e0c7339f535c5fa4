// OpenSSH's host patterns (ssh_config(5) PATTERNS, known_hosts host fields), matched without
// regular expressions. A pattern turned into a RegExp backtracks polynomially in the number of
// `*` (a line of 25 stars blocked the event loop for minutes) and a long one is rejected by the
// RegExp engine, which threw out of every host key check. This matcher walks pattern and name
// with two pointers and on a mismatch only ever goes back to the most recent `*`, so its cost is
// at most pattern length × name length (host names are short) and it never throws.

/** OpenSSH's match_pattern(): `*` any run (also empty), `?` exactly one character, all else literal. */
export function matchPattern(name: string, pattern: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1; // position in pattern just after the last `*` seen
  let resume = 0; // position in name that `*` would absorb next
  while (n < name.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = ++p;
      resume = n;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (star !== -1) {
      // Let the last star swallow one more character and retry from there. Earlier stars never
      // need revisiting: whatever they matched, the last one can absorb the difference.
      p = star;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * OpenSSH's match_pattern_list(): comma-separated patterns, `!` negates; a matching negation
 * decides "no" whatever the others say. With `lowercase`, the pattern's letters are lowered
 * first, as ssh does for host names (which it has already lowered).
 */
export function matchPatternList(name: string, list: string, lowercase: boolean): boolean {
  let matched = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const body = negated ? raw.slice(1) : raw;
    const pattern = lowercase ? body.toLowerCase() : body;
    const subject = lowercase ? name.toLowerCase() : name;
    if (!matchPattern(subject, pattern)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/**
 * A `Host` line of ssh_config: whitespace-separated patterns (a comma is literal there), each
 * optionally negated, compared case-sensitively with the name as typed, as ssh -G shows.
 */
export function matchHostLine(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    if (!matchPattern(name, negated ? raw.slice(1) : raw)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

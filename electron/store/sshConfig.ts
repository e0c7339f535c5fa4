// Reads the user's ~/.ssh/config so a host they already reach with `ssh alias` can be added to
// Domus by its alias. Parsing comes from the `ssh-config` package; which Host and Match blocks
// apply is decided here (resolveAlias), with OpenSSH's matching (hostPattern.ts): ssh-config's
// compute() turns patterns into regular expressions (a line of stars blocked the event loop, a
// long one threw) and reads `?` as "at most one character".
//
// Nothing in the file is ever executed. ssh-config 5.x would run processes in its compute():
//   - `Match exec "cmd"` runs cmd through a shell, and matchExec DEFAULTS TO TRUE;
//   - `CanonicalizeHostName yes` + `CanonicalDomains` spawns `nslookup` (a process and DNS traffic).
// Domus never calls compute(), and the parsed tree is also stripped of Match blocks with an exec
// criterion and of CanonicalizeHostName directives. A Match exec block is therefore treated as
// not matching: its settings never apply. ProxyCommand/KnownHostsCommand/LocalCommand are only
// ever text here, never run, and Domus ignores them.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SSHConfig, { LineType, type Line } from 'ssh-config';
import { matchHostLine, matchPatternList } from './hostPattern';

export interface ResolvedSshHost {
  /** The alias as written after `Host`. */
  alias: string;
  /** What to connect to (HostName, with %h expanded), or the alias itself. */
  hostName: string;
  port: number;
  user: string;
  /** Expanded paths, in the order ssh would try them. Empty: none configured (ssh would try its defaults). */
  identityFile: string[];
  proxyJump?: string;
}

export interface SshConfigEnv {
  /** Home directory for `~` and %d. */
  home?: string;
  /** Local user name for %u and the default remote user. */
  localUser?: string;
  /** Where a skipped malformed line is reported. Default: stderr. */
  report?: (line: string) => void;
}

const DANGEROUS_DIRECTIVE = /^CanonicalizeHostName$/i;

function isExecMatch(line: Line): boolean {
  if (line.type !== LineType.DIRECTIVE || !/^match$/i.test(line.param)) return false;
  const criteria = 'criteria' in line ? Object.keys(line.criteria) : [];
  const words = Array.isArray(line.value) ? line.value.map((v) => v.val) : [line.value];
  // Look at both the parsed criteria and the raw words, so `Match !exec ...` or an odd parse is caught too.
  return [...criteria, ...words].some((w) => /^!?exec$/i.test(w));
}

/**
 * ssh-config throws on the first line it cannot parse (an unterminated quote, a Match criterion
 * without its value), which would lose every host in the file. Such lines are found one by one
 * and left out, each reported with its line number.
 */
function parseSkippingMalformed(text: string, report: (lineNo: number, why: string) => void): SSHConfig {
  const lines = text.split('\n');
  for (;;) {
    try {
      return SSHConfig.parse(lines.join('\n'));
    } catch (whole) {
      const bad = lines.findIndex((line) => {
        try {
          SSHConfig.parse(line);
          return false;
        } catch {
          return true;
        }
      });
      // Every line parses on its own but not together: nothing to single out, so fail as before.
      if (bad === -1) throw whole;
      try {
        SSHConfig.parse(lines[bad]);
      } catch (err) {
        report(bad + 1, err instanceof Error ? err.message : String(err));
      }
      lines[bad] = '';
    }
  }
}

/** Parse, then remove everything that could make ssh-config spawn a process. */
export function parseSafe(text: string, report: (lineNo: number, why: string) => void = () => undefined): SSHConfig {
  const config = parseSkippingMalformed(text, report);
  const strip = (lines: SSHConfig): void => {
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i];
      if (line.type !== LineType.DIRECTIVE) continue;
      if (isExecMatch(line) || DANGEROUS_DIRECTIVE.test(line.param)) {
        lines.splice(i, 1);
      } else if ('config' in line) {
        strip(line.config);
      }
    }
  };
  strip(config);
  return config;
}

function values(line: Line): string[] {
  if (line.type !== LineType.DIRECTIVE) return [];
  return Array.isArray(line.value) ? line.value.map((v) => v.val) : line.value.split(/[\s,]+/);
}

/** Host aliases a person would type: concrete names, not patterns like `*` or `*.lab` or `!x`. */
export function listAliases(config: SSHConfig): string[] {
  const out = new Set<string>();
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE || !/^host$/i.test(line.param)) continue;
    for (const v of values(line)) if (v && !/[*?!]/.test(v)) out.add(v);
  }
  return [...out];
}

function expandTokens(value: string, tokens: Record<string, string>): string {
  // Unknown tokens are left as written rather than guessed.
  return value.replace(/%(.)/g, (whole, t: string) => (t === '%' ? '%' : (tokens[t] ?? whole)));
}

function words(line: Line): string[] {
  if (line.type !== LineType.DIRECTIVE) return [];
  return Array.isArray(line.value) ? line.value.map((v) => v.val) : [line.value];
}

// Directives ssh adds up instead of keeping the first.
const REPEATABLE = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv', 'setenv']);

interface MatchState {
  originalHost: string;
  hostName: string;
  user: string | undefined;
  localUser: string;
  finalPass: boolean;
  wantFinal: boolean;
}

/** One criterion of a Match line, as readconf.c's match_cfg_line() decides it. */
function criterionHolds(key: string, value: string, st: MatchState): boolean {
  switch (key) {
    case 'all':
      return true;
    case 'final':
      st.wantFinal = true;
      return st.finalPass;
    case 'canonical':
      return st.finalPass;
    case 'host':
      return matchPatternList(st.hostName, value, true);
    case 'originalhost':
      return matchPatternList(st.originalHost, value, true);
    case 'user':
      return matchPatternList(st.user ?? st.localUser, value, false);
    case 'localuser':
      return matchPatternList(st.localUser, value, false);
    default:
      // exec (stripped anyway), localnetwork, tagged, ...: never run or probed, so never matched.
      return false;
  }
}

function matchLineHolds(line: Line, st: MatchState): boolean {
  const criteria = 'criteria' in line ? (line.criteria as Record<string, string | { val: string }[]>) : {};
  return Object.entries(criteria).every(([rawKey, raw]) => {
    const negated = rawKey.startsWith('!');
    const key = (negated ? rawKey.slice(1) : rawKey).toLowerCase();
    const value = Array.isArray(raw) ? raw.map((v) => v.val).join(',') : raw;
    return criterionHolds(key, value, st) !== negated;
  });
}

/** The settings ssh would use for `alias`: lower-cased keys, first value wins unless repeatable. */
function computeSettings(config: SSHConfig, alias: string, localUser: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const st: MatchState = { originalHost: alias, hostName: alias, user: undefined, localUser, finalPass: false, wantFinal: false };
  const set = (line: Line) => {
    if (line.type !== LineType.DIRECTIVE) return;
    const key = line.param.toLowerCase();
    if (key === 'host' || key === 'match') return;
    const vals = words(line);
    if (REPEATABLE.has(key)) {
      (out[key] ??= []).push(...vals);
    } else if (out[key] === undefined) {
      out[key] = vals;
      if (key === 'hostname' && vals[0] !== undefined) st.hostName = expandTokens(vals[0], { h: alias, '%': '%' });
      if (key === 'user') st.user = vals[0];
    }
  };
  let host = alias;
  const pass = () => {
    for (const line of config) {
      if (line.type !== LineType.DIRECTIVE) continue;
      const param = line.param.toLowerCase();
      const applies =
        param === 'host' ? matchHostLine(host, words(line)) : param === 'match' ? matchLineHolds(line, st) : true;
      if (!applies) continue;
      if ('config' in line) for (const sub of line.config) set(sub);
      else set(line);
    }
  };
  pass();
  if (st.wantFinal) {
    st.finalPass = true;
    host = st.hostName;
    pass();
  }
  return out;
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

function first(v: string[] | undefined): string | undefined {
  return v?.[0];
}

export function resolveAlias(config: SSHConfig, alias: string, env: SshConfigEnv = {}): ResolvedSshHost {
  const home = env.home ?? os.homedir();
  const localUser = env.localUser ?? os.userInfo().username;
  const c = computeSettings(config, alias, localUser);
  const hostName = expandTokens(first(c.hostname) ?? alias, { h: alias, '%': '%' });
  const portText = first(c.port);
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`The port "${portText}" for ${alias} in the SSH config is not a valid port.`);
  }
  const user = first(c.user) ?? localUser;
  const tokens = { h: hostName, p: String(port), r: user, u: localUser, d: home, n: alias };
  const files = c.identityfile ?? [];
  const identityFile = files.map((f) => expandHome(expandTokens(f, tokens), home));
  const proxyJump = first(c.proxyjump);
  return {
    alias,
    hostName,
    port,
    user,
    identityFile,
    ...(proxyJump && proxyJump.toLowerCase() !== 'none' ? { proxyJump } : {}),
  };
}

/** The user's SSH config file, read once; a missing file is an empty config. */
export class SshConfigFile {
  private constructor(private readonly config: SSHConfig, private readonly env: SshConfigEnv) {}

  static async read(file = path.join(os.homedir(), '.ssh', 'config'), env: SshConfigEnv = {}): Promise<SshConfigFile> {
    let text = '';
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const report = env.report ?? ((line: string) => console.error(line));
    return new SshConfigFile(
      parseSafe(text, (lineNo, why) => report(`domus: ${file}:${lineNo}: skipped, ssh-config could not read it: ${why}.`)),
      env,
    );
  }

  aliases(): string[] {
    return listAliases(this.config);
  }

  resolve(alias: string): ResolvedSshHost {
    return resolveAlias(this.config, alias, this.env);
  }
}

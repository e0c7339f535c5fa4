// Reads the user's ~/.ssh/config so a host they already reach with `ssh alias` can be added to
// Domus by its alias. Parsing and Host/Match precedence come from the `ssh-config` package.
//
// Nothing in the file is ever executed. ssh-config 5.x would run processes in compute():
//   - `Match exec "cmd"` runs cmd through a shell, and matchExec DEFAULTS TO TRUE;
//   - `CanonicalizeHostName yes` + `CanonicalDomains` spawns `nslookup` (a process and DNS traffic).
// So (1) every compute() passes matchExec: false, and (2) before compute() the parsed tree is
// stripped of Match blocks with an exec criterion and of CanonicalizeHostName directives, so even
// a future ssh-config default or a missed option cannot reach spawnSync. A Match exec block is
// therefore treated as not matching: its settings never apply. ProxyCommand/KnownHostsCommand/
// LocalCommand are only ever returned as text by ssh-config, never run, and Domus ignores them.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SSHConfig, { LineType, type Line } from 'ssh-config';

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
}

const DANGEROUS_DIRECTIVE = /^CanonicalizeHostName$/i;

function isExecMatch(line: Line): boolean {
  if (line.type !== LineType.DIRECTIVE || !/^match$/i.test(line.param)) return false;
  const criteria = 'criteria' in line ? Object.keys(line.criteria) : [];
  const words = Array.isArray(line.value) ? line.value.map((v) => v.val) : [line.value];
  // Look at both the parsed criteria and the raw words, so `Match !exec ...` or an odd parse is caught too.
  return [...criteria, ...words].some((w) => /^!?exec$/i.test(w));
}

/** Parse, then remove everything that could make ssh-config spawn a process. */
export function parseSafe(text: string): SSHConfig {
  const config = SSHConfig.parse(text);
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

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function resolveAlias(config: SSHConfig, alias: string, env: SshConfigEnv = {}): ResolvedSshHost {
  const home = env.home ?? os.homedir();
  const localUser = env.localUser ?? os.userInfo().username;
  // ignoreCase: keys come back lower-cased whatever case the file used (ssh is case-insensitive).
  const c = config.compute(alias, { ignoreCase: true, matchExec: false });
  const hostName = expandTokens(first(c.hostname) ?? alias, { h: alias, '%': '%' });
  const portText = first(c.port);
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`The port "${portText}" for ${alias} in the SSH config is not a valid port.`);
  }
  const user = first(c.user) ?? localUser;
  const tokens = { h: hostName, p: String(port), r: user, u: localUser, d: home, n: alias };
  const files = c.identityfile === undefined ? [] : ([] as string[]).concat(c.identityfile);
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
    return new SshConfigFile(parseSafe(text), env);
  }

  aliases(): string[] {
    return listAliases(this.config);
  }

  resolve(alias: string): ResolvedSshHost {
    return resolveAlias(this.config, alias, this.env);
  }
}

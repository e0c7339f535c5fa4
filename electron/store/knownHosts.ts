// Host key checking with OpenSSH's known_hosts format and semantics, so a host the user already
// trusts in `ssh` is trusted in Domus, and a key Domus trusts is readable by `ssh-keygen -F`.
// Two files are read: the user's ~/.ssh/known_hosts (never written: it belongs to the user) and
// Domus's own store (written by trust(), hashed entries only, so the file does not list the
// hosts the user manages).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './atomicFile';
import { matchPatternList } from './hostPattern';

export type HostKeyCheck =
  | { status: 'trusted' }
  | { status: 'unknown'; fingerprint: string }
  | { status: 'changed'; fingerprint: string; knownFingerprints: string[] }
  | { status: 'revoked'; fingerprint: string };

export interface KnownHostsOptions {
  /** The user's OpenSSH file; read only. Defaults to ~/.ssh/known_hosts. `null` to ignore it. */
  userFile?: string | null;
  /** Domus's own store, same format; trust() appends here. */
  domusFile: string;
  /** Where a skipped line is reported (once per file line and reason). Default: stderr. */
  report?: (line: string) => void;
}

/** One parsed known_hosts line that can take part in a decision (@cert-authority lines are dropped). */
export interface KnownHostEntry {
  marker: 'revoked' | null;
  hosts: string;
  keyType: string;
  key: Buffer;
}

/** OpenSSH's `SHA256:` fingerprint: unpadded base64 of the SHA-256 of the key blob. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new Error('Not an SSH public key.');
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) throw new Error('Not an SSH public key.');
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** The name OpenSSH looks up: the bare host on port 22, `[host]:port` otherwise. Lower-cased like ssh. */
export function hostLookupName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Why a known_hosts line takes no part in decisions, with its 1-based line number. */
export interface SkippedLine {
  line: number;
  reason: string;
}

export function parseKnownHosts(text: string, skipped?: SkippedLine[]): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const skip = (line: number, reason: string) => skipped?.push({ line, reason });
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      // A CA key signs host certificates; Domus does not accept certificates, and treating the CA
      // key as a plain host key would trust the wrong thing, so these lines are skipped.
      if (fields[0] !== '@revoked') return;
      marker = 'revoked';
      fields.shift();
    }
    if (fields.length < 3) return skip(lineNo, 'it does not have hosts, a key type and a key');
    const [hosts, keyType, b64] = fields;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return skip(lineNo, 'its key is not base64');
    const key = Buffer.from(b64, 'base64');
    try {
      // A line whose declared type disagrees with its blob is corrupt; ssh ignores it too.
      if (keyTypeOfBlob(key) !== keyType) return skip(lineNo, `its key is not of type ${keyType}`);
    } catch {
      return skip(lineNo, 'its key is not an SSH public key');
    }
    entries.push({ marker, hosts, keyType, key });
  });
  return entries;
}

function hashedMatch(field: string, name: string): boolean {
  // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
  const parts = field.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2], 'base64');
  const want = Buffer.from(parts[3], 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Does a known_hosts host field (hashed, or a comma list of patterns) name this host? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name);
  // A matching negation excludes the host whatever the other patterns say (ssh's match_hostname).
  return matchPatternList(name, field, true);
}

/** The decision OpenSSH makes for one presented key against the entries naming the host. */
export function decide(entries: readonly KnownHostEntry[], name: string, keyBlob: Buffer): HostKeyCheck {
  const fingerprint = fingerprintSha256(keyBlob);
  const keyType = keyTypeOfBlob(keyBlob);
  const forHost = entries.filter((e) => hostFieldMatches(e.hosts, name));
  // Revocation wins over any trust, wherever it appears.
  if (forHost.some((e) => e.marker === 'revoked' && e.key.equals(keyBlob))) {
    return { status: 'revoked', fingerprint };
  }
  const sameType = forHost.filter((e) => e.marker === null && e.keyType === keyType);
  if (sameType.some((e) => e.key.equals(keyBlob))) return { status: 'trusted' };
  if (sameType.length > 0) {
    const knownFingerprints = [...new Set(sameType.map((e) => fingerprintSha256(e.key)))];
    return { status: 'changed', fingerprint, knownFingerprints };
  }
  // Keys of other types for this host do not make this one "changed": ssh asks too.
  return { status: 'unknown', fingerprint };
}

/** A hashed known_hosts line for `name`, as `ssh-keygen -H` writes them. */
export function hashedLine(name: string, keyBlob: Buffer): string {
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')} ${keyTypeOfBlob(keyBlob)} ${keyBlob.toString('base64')}`;
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

export class KnownHosts {
  private readonly userFile: string | null;
  private readonly domusFile: string;
  private readonly report: (line: string) => void;
  private readonly reported = new Set<string>();
  // trust()/forget() are read-modify-write; chaining them keeps two quick trusts from losing one.
  private writes: Promise<unknown> = Promise.resolve();

  constructor(opts: KnownHostsOptions) {
    this.userFile = opts.userFile === undefined ? path.join(os.homedir(), '.ssh', 'known_hosts') : opts.userFile;
    this.domusFile = opts.domusFile;
    this.report = opts.report ?? ((line) => console.error(line));
  }

  async entries(): Promise<KnownHostEntry[]> {
    const files = [this.userFile, this.domusFile].filter((f): f is string => f !== null);
    const texts = await Promise.all(files.map(readIfExists));
    return texts.flatMap((text, i) => {
      const skipped: SkippedLine[] = [];
      const entries = parseKnownHosts(text, skipped);
      for (const { line, reason } of skipped) {
        // Every check re-reads the files; say it once, not on every connection attempt.
        const message = `domus: ${files[i]}:${line}: skipped, ${reason}.`;
        if (this.reported.has(message)) continue;
        this.reported.add(message);
        this.report(message);
      }
      return entries;
    });
  }

  /** keyBlob is the SSH wire encoding of the public key (what ssh2's hostVerifier receives). */
  async check(host: string, port: number, keyBlob: Buffer): Promise<HostKeyCheck> {
    return decide(await this.entries(), hostLookupName(host, port), keyBlob);
  }

  /** Key types already known for the host, so the connection can prefer them (as ssh does). */
  async knownKeyTypes(host: string, port: number): Promise<string[]> {
    const name = hostLookupName(host, port);
    const types = (await this.entries())
      .filter((e) => e.marker === null && hostFieldMatches(e.hosts, name))
      .map((e) => e.keyType);
    return [...new Set(types)];
  }

  /** Remember this key for host:port in Domus's store (hashed). Call only after the user agreed. */
  trust(host: string, port: number, keyBlob: Buffer): Promise<void> {
    const line = hashedLine(hostLookupName(host, port), keyBlob);
    return this.serialize(async () => {
      const current = await readIfExists(this.domusFile);
      const sep = current === '' || current.endsWith('\n') ? '' : '\n';
      await writeFileAtomic(this.domusFile, `${current}${sep}${line}\n`);
    });
  }

  /**
   * Drop every key Domus's store holds for host:port (used before trusting a legitimately
   * replaced key). The user's own known_hosts is left alone: if the old key is there, the host
   * stays "changed" until the user edits that file, exactly as with ssh.
   */
  forget(host: string, port: number): Promise<number> {
    const name = hostLookupName(host, port);
    return this.serialize(async () => {
      const current = await readIfExists(this.domusFile);
      let removed = 0;
      const kept = current.split('\n').filter((line) => {
        const e = parseKnownHosts(line)[0];
        if (e && e.marker === null && hostFieldMatches(e.hosts, name)) {
          removed++;
          return false;
        }
        return true;
      });
      if (removed > 0) await writeFileAtomic(this.domusFile, kept.join('\n'));
      return removed;
    });
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writes.then(fn, fn);
    this.writes = run.catch(() => undefined);
    return run;
  }
}

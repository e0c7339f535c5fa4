// Secrets (SSH passwords, key passphrases) never sit in a profile or in plain text on disk.
// Everything that needs one goes through a SecretStore, injected by the adapter:
//  - Electron: SafeStorageSecretStore with safeStorage's functions passed in by main.ts
//    (this file does not import electron, so it stays testable in plain Node);
//  - browser mode: FileSecretStore, an AES-256-GCM file keyed by scrypt(passphrase), or
//    MemorySecretStore when the user gave no passphrase (secrets last for the session only).
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { DomusError } from '../api/errors';
import { writeFileAtomic } from './atomicFile';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** False when secrets are only kept for this session (nothing is written anywhere). */
  readonly persistent: boolean;
}

const Secrets = z.record(z.string(), z.string());

/** Serialises read-modify-write so two quick set() calls don't lose one another. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => {});
    return next;
  }
}

export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  private readonly map = new Map<string, string>();
  async get(key: string) {
    return this.map.get(key);
  }
  async set(key: string, value: string) {
    this.map.set(key, value);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
}

// ---------------------------------------------------------------------------------------------
// Browser mode: a passphrase-encrypted file.

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
/** ~64 MiB and a few hundred ms: paid once at serve start. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 16, r: 8, p: 1 };

const SecretFile = z.object({
  format: z.literal('domus-secrets'),
  version: z.literal(1),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int().min(2 ** 14).max(2 ** 22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: z.string().min(16),
  }),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
type SecretFile = z.infer<typeof SecretFile>;

function deriveKey(passphrase: string, salt: Buffer, p: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** The header is authenticated too, so nobody can swap the KDF parameters under us. */
function aad(f: Pick<SecretFile, 'format' | 'version' | 'kdf' | 'cipher'>): Buffer {
  return Buffer.from(JSON.stringify([f.format, f.version, f.kdf.name, f.kdf.N, f.kdf.r, f.kdf.p, f.kdf.salt, f.cipher]));
}

export class FileSecretStore implements SecretStore {
  readonly persistent = true;
  private readonly queue = new Queue();

  private constructor(
    readonly file: string,
    private readonly key: Buffer,
    private readonly header: Pick<SecretFile, 'format' | 'version' | 'kdf' | 'cipher'>,
    private secrets: Record<string, string>,
  ) {}

  /**
   * Opens (or prepares to create) the encrypted file. A wrong passphrase, a damaged file or an
   * unknown format is an error here, at startup, and the file is left exactly as it was.
   */
  static async open(file: string, passphrase: string, kdf: ScryptParams = DEFAULT_SCRYPT): Promise<FileSecretStore> {
    if (!passphrase) throw new DomusError('invalid_input', 'The passphrase for saved secrets is empty.');
    let text: string | undefined;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === undefined) {
      const salt = randomBytes(16).toString('base64');
      const header = { format: 'domus-secrets', version: 1, kdf: { name: 'scrypt', ...kdf, salt }, cipher: 'aes-256-gcm' } as const;
      return new FileSecretStore(file, await deriveKey(passphrase, Buffer.from(salt, 'base64'), kdf), header, {});
    }
    let parsed: SecretFile;
    try {
      parsed = SecretFile.parse(JSON.parse(text));
    } catch {
      throw new DomusError(
        'internal',
        `The secrets file ${file} is damaged or not a Domus secrets file. Domus left it untouched; move it away to start with no saved secrets.`,
      );
    }
    const key = await deriveKey(passphrase, Buffer.from(parsed.kdf.salt, 'base64'), parsed.kdf);
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parsed.iv, 'base64'));
      decipher.setAAD(aad(parsed));
      decipher.setAuthTag(Buffer.from(parsed.tag, 'base64'));
      plain = Buffer.concat([decipher.update(Buffer.from(parsed.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new DomusError(
        'auth_failed',
        `The passphrase does not open the secrets file ${file} (wrong passphrase, or the file was altered). The file was not changed.`,
      );
    }
    const { format, version, kdf: k, cipher } = parsed;
    return new FileSecretStore(file, key, { format, version, kdf: k, cipher }, Secrets.parse(JSON.parse(plain)));
  }

  async get(key: string) {
    return Object.prototype.hasOwnProperty.call(this.secrets, key) ? this.secrets[key] : undefined;
  }

  set(key: string, value: string) {
    return this.queue.run(() => this.commit({ ...this.secrets, [key]: value }));
  }

  delete(key: string) {
    return this.queue.run(async () => {
      if (!Object.prototype.hasOwnProperty.call(this.secrets, key)) return;
      const next = { ...this.secrets };
      delete next[key];
      await this.commit(next);
    });
  }

  private async commit(next: Record<string, string>): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(this.header));
    const data = Buffer.concat([cipher.update(JSON.stringify(next), 'utf8'), cipher.final()]);
    const body: SecretFile = {
      ...this.header,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    await writeFileAtomic(this.file, JSON.stringify(body, null, 2) + '\n', 0o600);
    this.secrets = next; // only once it is on disk
  }
}

// ---------------------------------------------------------------------------------------------
// Electron: the OS keychain through safeStorage, whose functions main.ts passes in.

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring, i.e. a hard-coded key: not a real protection. */
  getSelectedStorageBackend?(): string;
}

const SafeFile = z.object({ format: z.literal('domus-safestorage'), version: z.literal(1), data: z.string() });

/**
 * One file holding safeStorage.encryptString(JSON of all secrets). When the OS offers no real
 * encryption (no keyring on Linux), secrets are kept in memory only and `persistent` is false,
 * so the UI can say so instead of writing something that merely looks encrypted.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly queue = new Queue();
  private secrets: Record<string, string> | undefined;
  readonly persistent: boolean;

  constructor(
    readonly file: string,
    private readonly safe: SafeStorageLike,
  ) {
    this.persistent = safe.isEncryptionAvailable() && safe.getSelectedStorageBackend?.() !== 'basic_text';
  }

  private async load(): Promise<Record<string, string>> {
    if (this.secrets) return this.secrets;
    if (!this.persistent) return (this.secrets = {});
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return (this.secrets = {});
      throw err;
    }
    try {
      const f = SafeFile.parse(JSON.parse(text));
      this.secrets = Secrets.parse(JSON.parse(this.safe.decryptString(Buffer.from(f.data, 'base64'))));
      return this.secrets;
    } catch (err) {
      throw new DomusError(
        'internal',
        `The saved secrets in ${this.file} cannot be decrypted with this system's keychain. Domus left the file untouched.`,
        err instanceof Error ? err.message : String(err),
      );
    }
  }

  async get(key: string) {
    const s = await this.queue.run(() => this.load());
    return Object.prototype.hasOwnProperty.call(s, key) ? s[key] : undefined;
  }

  set(key: string, value: string) {
    return this.queue.run(async () => this.commit({ ...(await this.load()), [key]: value }));
  }

  delete(key: string) {
    return this.queue.run(async () => {
      const next = { ...(await this.load()) };
      if (!Object.prototype.hasOwnProperty.call(next, key)) return;
      delete next[key];
      await this.commit(next);
    });
  }

  private async commit(next: Record<string, string>) {
    if (this.persistent) {
      const data = this.safe.encryptString(JSON.stringify(next)).toString('base64');
      await writeFileAtomic(this.file, JSON.stringify({ format: 'domus-safestorage', version: 1, data }) + '\n', 0o600);
    }
    this.secrets = next;
  }
}

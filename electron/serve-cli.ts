// `npm run serve [-- --open] [--port N]`: Domus in your browser, served from this computer only.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EventBus } from './api/dispatcher';
import { DomusError } from './api/errors';
import { createBackend } from './hosts/backend';
import { startServer } from './serve';
import { configDir } from './store/paths';
import { FileSecretStore, MemorySecretStore, type SecretStore } from './store/secretStore';

const HELP = `Domus in a browser: the same app as the desktop window, served on this computer only.

Usage:
  npm run serve [-- [--open] [--port N]]
  npx tsx electron/serve-cli.ts [--open] [--port N]     (skips the renderer build)

Options:
  --open       Open the link in your default browser (through a file only you can read,
               so the token never shows in any process's arguments).
  --port N     Listen on port N (default: any free port).
  --help       Show this text.

How it stays private:
  Domus listens on 127.0.0.1 only and prints a link with a one-time token. Opening that link
  signs that browser tab in and spends the token. The tab gets an HttpOnly, SameSite=Strict
  cookie and a second key it keeps in its own session storage; the app needs both, so a
  program on another port that receives the cookie cannot use it. Nobody else, including
  other users of this computer and web pages you visit, can use the server. Domus says when a
  browser signed in; if that was not you, stop it. Restart the command to get a new link.

Saved secrets (SSH passwords and key passphrases):
  They are kept in <config dir>/secrets.enc, encrypted with AES-256-GCM under a key derived
  (scrypt) from a passphrase you choose. Give it in DOMUS_SECRET_PASSPHRASE, or type it when
  asked at start. If you give none (empty answer, or no terminal to ask on), secrets are kept
  in memory for this session only and nothing is written to disk. A wrong passphrase stops the
  start; the file is never overwritten.

Environment:
  DOMUS_CONFIG_DIR          Where profiles, known hosts and secrets live
                            (default: ${configDir()}).
  DOMUS_SECRET_PASSPHRASE   The passphrase for saved secrets (see above). Removed from the
                            environment once read: no browser, ssh or xl Domus starts sees it.
`;

function fail(message: string): never {
  process.stderr.write(`domus: ${message}\n`);
  process.exit(1);
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        open: { type: 'boolean', default: false },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    let port = 0;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) fail(`--port wants a number from 1 to 65535, not ${values.port}.`);
    }
    return { open: values.open ?? false, port, help: values.help ?? false };
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}\nTry --help.`);
  }
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let answer = '';
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else if (ch >= ' ') answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Reads the passphrase and deletes it from the environment, so no child process inherits it. */
function takePassphraseFromEnv(): string | undefined {
  const value = process.env.DOMUS_SECRET_PASSPHRASE;
  delete process.env.DOMUS_SECRET_PASSPHRASE;
  return value || undefined;
}

async function openSecrets(dir: string, fromEnv: string | undefined): Promise<SecretStore> {
  const file = path.join(dir, 'secrets.enc');
  const exists = existsSync(file);
  if (fromEnv) return FileSecretStore.open(file, fromEnv);

  if (!process.stdin.isTTY) {
    process.stderr.write(
      `domus: no DOMUS_SECRET_PASSPHRASE and no terminal to ask on: secrets are kept in memory for this session only.${
        exists ? ` (${file} stays untouched.)` : ''
      }\n`,
    );
    return new MemorySecretStore();
  }
  for (let attempt = 1; ; attempt++) {
    const pass = await promptHidden(
      exists
        ? 'Passphrase for your saved secrets (empty: do not use them this session): '
        : 'Choose a passphrase to save secrets (empty: keep them in memory for this session only): ',
    );
    if (!pass) {
      process.stderr.write('domus: secrets are kept in memory for this session only.\n');
      return new MemorySecretStore();
    }
    if (!exists) {
      const again = await promptHidden('The same passphrase again: ');
      if (again !== pass) {
        process.stderr.write('domus: the two passphrases differ; try again.\n');
        continue;
      }
      return FileSecretStore.open(file, pass);
    }
    try {
      return await FileSecretStore.open(file, pass);
    } catch (err) {
      if (err instanceof DomusError && err.code === 'auth_failed' && attempt < 3) {
        process.stderr.write(`domus: ${err.message}\n`);
        continue;
      }
      throw err;
    }
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Opens the link in the default browser without putting it in any process's arguments or
 * environment (another user can read those from the process table and spend the token first):
 * the browser gets the path of a file, in a directory only this user can enter, readable only
 * by this user, that forwards to the link. Returns a function that deletes the file.
 */
function openBrowser(url: string): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'domus-open-')); // 0700
  const file = path.join(dir, 'open-domus.html');
  const href = escapeHtml(url);
  writeFileSync(
    file,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${href}"><title>Domus</title><p><a href="${href}">Open Domus</a></p>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [file]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', file]]
        : ['xdg-open', [file]];
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', (err) => process.stderr.write(`domus: could not start ${cmd} (${err.message}); open the link yourself.\n`));
  child.unref();
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * The built renderer: out/renderer seen from electron/ (run with tsx), or renderer/ beside the
 * bundle's own folder (out/serve/domus-serve.mjs, see tools/bundle-serve.mjs).
 */
function rendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '..', 'out', 'renderer'), path.join(here, '..', 'renderer')];
  return candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

async function main() {
  // First of all, before anything can start a child process.
  const passphrase = takePassphraseFromEnv();
  const args = parse();
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const staticDir = rendererDir();
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    fail(`the renderer is not built (${staticDir}/index.html is missing). Run \`npm run build\`, or use \`npm run serve\`, which builds first.`);
  }
  const dir = configDir();
  const secrets = await openSecrets(dir, passphrase);
  const bus = new EventBus();
  const backend = await createBackend({ configDir: dir, secrets, bus, mode: 'browser' });
  let removeLauncher = () => {};
  const server = await startServer({
    backend,
    bus,
    staticDir,
    port: args.port,
    host: '127.0.0.1',
    onSignIn: () => {
      removeLauncher();
      process.stderr.write('domus: a browser signed in with the link (it is spent now). If that was not you, stop Domus.\n');
    },
  });

  process.stdout.write(
    `\nDomus is running for this computer only. Open this link once (it signs in one browser):\n\n  ${server.url}\n\nPress Ctrl+C to stop.\n`,
  );
  if (args.open) {
    removeLauncher = openBrowser(server.url);
    process.on('exit', () => removeLauncher());
  }

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`domus: ${signal} again, exiting now.\n`);
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`\ndomus: stopping (${signal})…\n`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    await Promise.allSettled([server.close(), backend.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  fail(err instanceof Error ? err.message : String(err));
});

// The one place where an argv array becomes a command line for a remote POSIX shell (SSH exec
// channels always go through the login shell). Every argument is single-quoted, so user input can
// never be read as shell syntax. Local child processes get the argv as is, except a command on a
// terminal, which script(1) runs through a shell (transport/local.ts ptyArgv).

const SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new Error('A command argument cannot contain a NUL byte.');
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('An empty command cannot be run.');
  return argv.map(quoteArg).join(' ');
}

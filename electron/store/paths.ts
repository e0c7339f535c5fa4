// Where Domus keeps its files: the user's config dir for this platform, or DOMUS_CONFIG_DIR
// (tests and portable setups use that).
import { homedir } from 'node:os';
import path from 'node:path';

export function configDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.DOMUS_CONFIG_DIR) return path.resolve(env.DOMUS_CONFIG_DIR);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Domus');
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'Domus');
  }
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(xdg, 'domus');
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the CLI looks for a model: models/ of the package it runs from, and the user's cache dir. */

/** The models/ folder of the refusal-lens package this code runs from (bundle or source), or null. */
export function packageModelsDir(from: string = __dirname): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'refusal-lens') return path.join(dir, 'models');
    } catch {
      // no package.json here: keep climbing
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** $XDG_CACHE_HOME/refusal-lens, else the platform's usual user cache folder. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'refusal-lens');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'refusal-lens', 'Cache');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'refusal-lens');
  return path.join(os.homedir(), '.cache', 'refusal-lens');
}

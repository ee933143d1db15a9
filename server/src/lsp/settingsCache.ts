import { formatNames } from '../formats/registry';
import { parseSettings, type Settings } from '../shared/settings';
import type { Logger } from './serverHost';

/**
 * Settings per document, asked once from the editor (workspace/configuration) and kept until a
 * configuration change clears them. Invalid values are logged once and replaced by defaults.
 */
export class SettingsCache {
  private readonly byUri = new Map<string, Promise<Settings>>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly fetch: (uri: string | null) => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  get(uri: string | null): Promise<Settings> {
    const key = uri ?? '';
    let p = this.byUri.get(key);
    if (!p) {
      p = this.load(uri);
      this.byUri.set(key, p);
      // a failed request is not cached: the next document asks again
      p.catch(() => this.byUri.delete(key));
    }
    return p;
  }

  private async load(uri: string | null): Promise<Settings> {
    const { settings, problems } = parseSettings(await this.fetch(uri));
    const known = formatNames();
    for (const name of Object.keys(settings.files)) {
      if (!known.includes(name)) problems.push(`refusalLens.files: no format is named "${name}" (known: ${known.join(', ')}); its globs are ignored`);
    }
    for (const p of problems) {
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      this.log.warn(p);
    }
    return settings;
  }

  clear(): void {
    this.byUri.clear();
    this.reported.clear();
  }
}

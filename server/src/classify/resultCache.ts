import { createHash } from 'node:crypto';
import type { Classification } from './detector';

export interface CacheLimits {
  maxEntries: number;
  /** Approximate bytes held (keys and results; texts are never kept). */
  maxBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 200_000, maxBytes: 48 * 1024 * 1024 };

/** Bytes an entry costs beyond its key: the result object, the Map slot. */
const ENTRY_OVERHEAD = 120;

/**
 * Model results in memory, least recently used first out, bounded by entries and bytes. Keys are
 * hashes of what decides a result: the model's files, the mode, maxTokens and the text. A text
 * scanned again unchanged costs a hash and a lookup, no inference; keys never hold the texts
 * (they may be slices of a large document that would then stay alive).
 */
export class ResultCache {
  private readonly entries = new Map<string, Classification>();
  private bytes = 0;

  constructor(private readonly limits: CacheLimits = DEFAULT_CACHE_LIMITS) {}

  /** The part of a key shared by every text of one detector configuration. */
  static scope(modelIdentity: string, mode: string, maxTokens: number): string {
    return `${modelIdentity}\0${mode}\0${maxTokens}\0`;
  }

  static key(scope: string, text: string): string {
    return createHash('sha256').update(scope).update(text).digest('base64');
  }

  get(key: string): Classification | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, value: Classification): void {
    if (this.entries.delete(key)) this.bytes -= cost(key);
    this.entries.set(key, value);
    this.bytes += cost(key);
    while (this.entries.size > this.limits.maxEntries || (this.bytes > this.limits.maxBytes && this.entries.size > 0)) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.bytes -= cost(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get approximateBytes(): number {
    return this.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

function cost(key: string): number {
  return key.length * 2 + ENTRY_OVERHEAD;
}

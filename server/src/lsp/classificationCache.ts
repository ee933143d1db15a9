import { createHash } from 'node:crypto';
import type { Classification } from '../classify/detector';

/**
 * Classifications by text, so an edit re-classifies only the responses it changed. Keyed by a
 * hash of the detector's name and the text: keys never hold the texts (which may be slices of
 * a multi-megabyte document that would then stay alive). Least recently used entries go first.
 */
export class ClassificationCache {
  private readonly entries = new Map<string, Classification>();

  constructor(private readonly capacity = 200_000) {}

  static key(detectorName: string, text: string): string {
    return createHash('sha1').update(detectorName).update('\0').update(text).digest('base64');
  }

  get(key: string): Classification | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Classification): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { cancelledError, DownloadError } from './downloadError';

/**
 * Serialises downloads of one model across processes (the editor's server, CLI runs): a lock
 * file created exclusively, holding the holder's pid and host, its mtime refreshed while held.
 * A lock is stale when its holder's process is gone (same host) or it was not refreshed for
 * `staleMs` (a holder on another host sharing the cache, or a frozen one); a stale lock is
 * taken over. Waiters poll, and stop when their AbortSignal fires.
 */

export interface LockOptions {
  signal?: AbortSignal;
  /** called once when another holder makes us wait, with a description of it */
  onWait?: (holder: string) => void;
  staleMs?: number;
  pollMs?: number;
}

interface Holder {
  pid: number | null;
  host: string | null;
  token: string | null;
  mtimeMs: number;
}

export async function withLock<T>(lockPath: string, fn: () => Promise<T>, o: LockOptions = {}): Promise<T> {
  const staleMs = o.staleMs ?? 60_000;
  const pollMs = o.pollMs ?? 250;
  const token = randomBytes(8).toString('hex');
  const content = JSON.stringify({ pid: process.pid, host: os.hostname(), token, since: new Date().toISOString() });
  let waited = false;
  for (;;) {
    if (o.signal?.aborted) throw cancelledError();
    try {
      await fsp.writeFile(lockPath, content, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new DownloadError('io', `cannot create the lock file ${lockPath}: ${(e as Error).message}`);
    }
    const holder = await readHolder(lockPath);
    if (holder && isStale(holder, staleMs)) {
      await fsp.rm(lockPath, { force: true });
      continue;
    }
    if (!waited && holder) {
      waited = true;
      o.onWait?.(holder.pid ? `process ${holder.pid}${holder.host && holder.host !== os.hostname() ? ` on ${holder.host}` : ''}` : 'another process');
    }
    try {
      await delay(pollMs, undefined, { signal: o.signal });
    } catch {
      throw cancelledError();
    }
  }

  const heartbeat = setInterval(() => {
    const now = new Date();
    fsp.utimes(lockPath, now, now).catch(() => undefined);
  }, Math.max(staleMs / 4, 50));
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    const holder = await readHolder(lockPath);
    if (holder?.token === token) await fsp.rm(lockPath, { force: true });
  }
}

async function readHolder(lockPath: string): Promise<Holder | null> {
  try {
    const [text, st] = await Promise.all([fsp.readFile(lockPath, 'utf8'), fsp.stat(lockPath)]);
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // being written right now, or damaged: judged by its age alone
    }
    return {
      pid: typeof parsed.pid === 'number' ? parsed.pid : null,
      host: typeof parsed.host === 'string' ? parsed.host : null,
      token: typeof parsed.token === 'string' ? parsed.token : null,
      mtimeMs: st.mtimeMs,
    };
  } catch {
    return null;
  }
}

function isStale(h: Holder, staleMs: number): boolean {
  if (h.pid !== null && h.host === os.hostname() && !processAlive(h.pid)) return true;
  return Date.now() - h.mtimeMs > staleMs;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

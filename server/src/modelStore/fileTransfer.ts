import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { cancelledError, DownloadError, networkError } from './downloadError';
import type { ManifestFile } from './hubManifest';
import { httpGet } from './httpGet';

/**
 * One file into place: bytes go to `<dest>.part`; a dropped connection, a timeout or a 5xx is
 * retried from where the part file ends (HTTP Range); once the size is reached the part is
 * hashed and compared with the manifest, and only then renamed to `<dest>`. A `<dest>` that
 * exists was verified by an earlier run. A part file left by a cancelled or failed run is
 * resumed the same way; if a resumed file fails verification it is fetched once more whole.
 */

export interface TransferOptions {
  url: string;
  dest: string;
  file: ManifestFile;
  signal?: AbortSignal;
  timeoutMs: number;
  /** further attempts after a dropped connection, timeout or 5xx */
  retries: number;
  /** first pause between attempts; doubles each time (capped at 8 s) */
  retryDelayMs: number;
  /** bytes gained by this file (negative when a part is thrown away); fromNetwork: just received */
  onBytes: (delta: number, fromNetwork: boolean) => void;
}

export async function transferFile(o: TransferOptions): Promise<void> {
  const { file } = o;
  // bytes of this file reported through onBytes so far, kept equal to what is on disk
  let counted = 0;
  const settle = (onDisk: number) => {
    if (onDisk !== counted) o.onBytes(onDisk - counted, false);
    counted = onDisk;
  };
  const received = (n: number) => {
    counted += n;
    o.onBytes(n, true);
  };

  if ((await sizeOf(o.dest)) === file.size) {
    settle(file.size);
    return;
  }
  const part = `${o.dest}.part`;
  await fsp.mkdir(path.dirname(o.dest), { recursive: true });
  let have = (await sizeOf(part)) ?? 0;
  if (have > file.size) {
    await fsp.truncate(part, 0);
    have = 0;
  }
  settle(have);
  let resumedEarlierPart = have > 0;
  let failures = 0;
  for (;;) {
    if (o.signal?.aborted) throw cancelledError();
    try {
      if (have < file.size || (await sizeOf(part)) === null) have = await fetchInto(part, have, o, settle, received);
      await verify(part, o);
      await fsp.rename(part, o.dest);
      return;
    } catch (caught) {
      if (o.signal?.aborted) throw cancelledError();
      const e = caught instanceof DownloadError ? caught : networkError(caught, o.url);
      if (e.kind === 'verify') {
        await fsp.rm(part, { force: true });
        have = 0;
        settle(0);
        if (resumedEarlierPart) {
          resumedEarlierPart = false;
          continue;
        }
        throw e;
      }
      if (!isRetryable(e) || ++failures > o.retries) throw e;
      await pause(Math.min(o.retryDelayMs * 2 ** (failures - 1), 8000), o.signal);
      have = (await sizeOf(part)) ?? 0;
      settle(have);
    }
  }
}

/** Appends the rest of the file to `part`, starting at byte `have`; returns the new size. */
async function fetchInto(part: string, have: number, o: TransferOptions, settle: (onDisk: number) => void, received: (n: number) => void): Promise<number> {
  const res = await httpGet(o.url, { signal: o.signal, timeoutMs: o.timeoutMs, headers: have > 0 ? { range: `bytes=${have}-` } : {} });
  let start: number;
  if (res.status === 206) {
    const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
    if (!m || Number(m[1]) !== have) {
      // a range we did not ask for: start again from zero
      res.body.resume();
      await fsp.truncate(part, 0).catch(() => undefined);
      settle(0);
      return fetchInto(part, 0, o, settle, received);
    }
    start = have;
  } else if (res.status === 200) {
    // no range asked, or the server ignored it: the whole file follows
    settle(0);
    start = 0;
  } else if (res.status === 416 && have > 0) {
    // the part already reaches the end; verification decides whether it is right
    res.body.resume();
    return have;
  } else {
    res.body.resume();
    const status = res.status;
    const where = res.url === o.url ? o.url : `${res.url} (redirected from ${o.url})`;
    throw new DownloadError('http', `could not download ${o.file.hubPath}: HTTP ${status} at ${where}`, { url: res.url, file: o.file.hubPath, status });
  }

  let written = start;
  const expected = o.file.size;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      if (written > expected) {
        done(new DownloadError('verify', `${o.file.hubPath} from ${res.url} is larger than the ${expected} bytes the hub lists`, { url: res.url, file: o.file.hubPath }));
        return;
      }
      received(chunk.length);
      done(null, chunk);
    },
  });
  const out = createWriteStream(part, { flags: start === 0 ? 'w' : 'a' });
  try {
    await pipeline(res.body, count, out);
  } finally {
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
  }
  if (written < expected) {
    throw new DownloadError('http', `the connection closed after ${written} of ${expected} bytes of ${o.file.hubPath}`, { url: res.url, file: o.file.hubPath });
  }
  return written;
}

async function verify(part: string, o: TransferOptions): Promise<void> {
  const { file } = o;
  const size = await sizeOf(part);
  if (size !== file.size) {
    throw new DownloadError('verify', `${file.hubPath} from ${o.url} has ${size ?? 0} bytes, the hub lists ${file.size}`, { url: o.url, file: file.hubPath });
  }
  const algorithm = file.sha256 ? 'sha256' : 'sha1';
  const hash = createHash(algorithm);
  if (!file.sha256) hash.update(`blob ${file.size}\0`);
  for await (const chunk of createReadStream(part) as AsyncIterable<Buffer>) hash.update(chunk);
  const got = hash.digest('hex');
  const want = file.sha256 ?? file.gitSha1;
  if (got !== want) {
    const label = file.sha256 ? 'sha256' : 'git blob sha1';
    throw new DownloadError('verify', `checksum mismatch for ${file.hubPath} from ${o.url}: expected ${label} ${want}, got ${got}`, { url: o.url, file: file.hubPath });
  }
}

function isRetryable(e: DownloadError): boolean {
  if (e.kind === 'timeout' || e.kind === 'offline') return true;
  if (e.kind !== 'http') return false;
  const status = e.details.status;
  return status === undefined || status >= 500 || status === 429 || status === 408;
}

async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw cancelledError();
  }
}

export async function sizeOf(p: string): Promise<number | null> {
  try {
    const st = await fsp.stat(p);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DownloadError, networkError } from './downloadError';
import { withLock } from './downloadLock';
import { transferFile } from './fileTransfer';
import { fetchManifest, resolveCommit, type ModelManifest } from './hubManifest';
import { cachePaths, hubSource, isCommitSha, resolveUrl, type CachePaths, type HubSource } from './hubSource';
import { checkCacheFolder, COMPLETE_MARKER, describeFolder, type CompleteMarker, type ModelFolder } from './modelFolder';

/**
 * Downloads the model's `onnx/` folder from the hub into the cache, all or nothing:
 * 1. the revision is resolved to a commit, the file list (sizes, sha256 / git blob ids) read
 *    from the hub API for that commit;
 * 2. a lock file serialises downloads of the same commit (a second caller waits, then finds
 *    the model installed);
 * 3. files go into `.staging-<commit>/` as `.part` files, resumed with HTTP Range after a
 *    dropped connection (now or in a later run), each verified (size and checksum) before
 *    it keeps its name;
 * 4. a completion marker is written last, then the staging folder is renamed to `<commit>/`
 *    in one step. Only folders with the marker are ever used, so nothing half-written is
 *    taken for a model.
 * Laid out in the cache as:  <cacheDir>/models/<owner>--<name>/{<commit>/, .staging-<commit>/,
 * .<commit>.lock, refs/<branch or tag>}.
 */

export interface DownloadProgress {
  /** the file being transferred (its hub path, e.g. onnx/model.onnx) */
  file: string;
  fileBytesDone: number;
  fileBytesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** recent network rate in bytes per second (0 until measurable) */
  bytesPerSecond: number;
}

export interface DownloadOptions {
  /** the download cache: the extension's global storage, or the CLI's user cache dir */
  cacheDir: string;
  /** default https://huggingface.co */
  endpoint?: string;
  /** default ProtectAI/distilroberta-base-rejection-v1 */
  repo?: string;
  /** a commit, branch or tag; default the pinned commit (hubSource.ts) */
  revision?: string;
  signal?: AbortSignal;
  /** at most every 100 ms, and when a file completes */
  onProgress?: (p: DownloadProgress) => void;
  /** one-line news: waiting for another download, installing, ... */
  onStatus?: (message: string) => void;
  /** longest silence allowed from the server, in ms (default 30 000) */
  timeoutMs?: number;
  /** further attempts per file after a dropped connection, timeout or 5xx (default 5) */
  retries?: number;
  /** first pause between attempts in ms, doubling (default 500) */
  retryDelayMs?: number;
}

/** Resolves to the installed folder (`source` 'downloaded', or 'cache' when it was already there). */
export async function downloadModel(o: DownloadOptions): Promise<ModelFolder> {
  const source = hubSource(o);
  const paths = cachePaths(o.cacheDir, source.repo);
  const request = { signal: o.signal, timeoutMs: o.timeoutMs ?? 30_000 };
  try {
    const commit = await resolveCommit(source, request);
    const installed = await installedFolder(paths, source, commit);
    if (installed) return installed;
    // the file list first: offline, this fails before anything is written to disk
    const manifest = await fetchManifest(source, commit, request);
    await fsp.mkdir(paths.repoDir, { recursive: true });
    return await withLock(
      paths.lock(commit),
      async () => {
        // someone else may have finished it while we waited for the lock
        const meanwhile = await installedFolder(paths, source, commit);
        if (meanwhile) return meanwhile;
        const staging = paths.staging(commit);
        await fsp.mkdir(staging, { recursive: true });
        await transferAll(manifest, source, staging, o, request);
        o.onStatus?.('all files verified; installing');
        await writeMarker(staging, source, manifest);
        await moveIntoPlace(staging, paths.folder(commit));
        await writeRef(paths, source.revision, commit);
        return describeFolder(paths.folder(commit), 'downloaded', { repo: source.repo, commit });
      },
      { signal: o.signal, onWait: (holder) => o.onStatus?.(`waiting for ${holder}, which is downloading the same model`) },
    );
  } catch (e) {
    const err = e instanceof DownloadError ? e : networkError(e, source.endpoint);
    if (err.kind === 'verify') throw new DownloadError('verify', `${err.message} (the file was discarded; nothing was installed)`, err.details);
    throw err;
  }
}

async function installedFolder(paths: CachePaths, source: HubSource, commit: string): Promise<ModelFolder | null> {
  const { problem } = await checkCacheFolder(paths.folder(commit), commit);
  if (problem) return null;
  await writeRef(paths, source.revision, commit);
  return describeFolder(paths.folder(commit), 'cache', { repo: source.repo, commit });
}

async function transferAll(manifest: ModelManifest, source: HubSource, staging: string, o: DownloadOptions, request: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
  const bytesTotal = manifest.files.reduce((n, f) => n + f.size, 0);
  const rate = new RateMeter();
  let bytesDone = 0;
  let lastReport = 0;
  for (const file of manifest.files) {
    let fileBytesDone = 0;
    const report = (force: boolean) => {
      const now = Date.now();
      if (!o.onProgress || (!force && now - lastReport < 100)) return;
      lastReport = now;
      o.onProgress({ file: file.hubPath, fileBytesDone, fileBytesTotal: file.size, bytesDone, bytesTotal, bytesPerSecond: rate.perSecond(now) });
    };
    await transferFile({
      url: resolveUrl(source, manifest.commit, file.hubPath),
      dest: path.join(staging, file.localPath),
      file,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      retries: o.retries ?? 5,
      retryDelayMs: o.retryDelayMs ?? 500,
      onBytes: (delta, fromNetwork) => {
        fileBytesDone += delta;
        bytesDone += delta;
        if (fromNetwork) rate.add(delta, Date.now());
        report(false);
      },
    });
    report(true);
  }
}

async function writeMarker(staging: string, source: HubSource, manifest: ModelManifest): Promise<void> {
  const marker: CompleteMarker = {
    repo: manifest.repo,
    commit: manifest.commit,
    revision: source.revision,
    endpoint: source.endpoint,
    installedAt: new Date().toISOString(),
    files: manifest.files.map((f) => ({ path: f.localPath, size: f.size, sha256: f.sha256, gitSha1: f.gitSha1 })),
  };
  const tmp = path.join(staging, `${COMPLETE_MARKER}.tmp`);
  const handle = await fsp.open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(marker, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(tmp, path.join(staging, COMPLETE_MARKER));
}

/** One rename puts the whole folder in place; a broken folder in the way is moved aside first. */
async function moveIntoPlace(staging: string, folder: string): Promise<void> {
  if (await exists(folder)) {
    const aside = `${folder}.broken-${randomBytes(4).toString('hex')}`;
    await fsp.rename(folder, aside);
    await fsp.rm(aside, { recursive: true, force: true });
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await fsp.rename(staging, folder);
      return;
    } catch (e) {
      // Windows: a virus scanner may hold a file for a moment
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= 4 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw e;
      await delay(200 * (attempt + 1));
    }
  }
}

async function writeRef(paths: CachePaths, revision: string, commit: string): Promise<void> {
  if (isCommitSha(revision)) return;
  const ref = paths.ref(revision);
  await fsp.mkdir(path.dirname(ref), { recursive: true });
  await fsp.writeFile(ref, commit);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Bytes per second over the last few seconds. */
class RateMeter {
  private readonly samples: { t: number; bytes: number }[] = [];
  private total = 0;

  add(bytes: number, now: number): void {
    this.total += bytes;
    this.samples.push({ t: now, bytes: this.total });
    while (this.samples.length > 2 && now - this.samples[0].t > 5000) this.samples.shift();
  }

  perSecond(now: number): number {
    const first = this.samples[0];
    if (!first) return 0;
    const seconds = (now - first.t) / 1000;
    return seconds >= 0.2 ? (this.total - first.bytes) / seconds : 0;
  }
}

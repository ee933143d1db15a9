import { DownloadError } from './downloadError';
import { httpGet, readText, type HttpResponse } from './httpGet';
import { HUB_SUBFOLDER, isCommitSha, revisionInfoUrl, treeUrl, type HubSource } from './hubSource';

/**
 * What to download, from the hub API: `GET /api/models/{repo}/revision/{rev}` turns a branch or
 * tag into its commit (`sha`); `GET /api/models/{repo}/tree/{commit}/onnx` lists the folder's
 * files, each `{type, path, size, oid, lfs?: {oid, size, pointerSize}}`. For a Git LFS file
 * `lfs.oid` is the content's sha256; for any other file `oid` is its git blob id,
 * sha1("blob <size>\0" + content). Either one lets us verify every byte we install.
 */

export interface ManifestFile {
  /** path in the repository, e.g. onnx/model.onnx */
  hubPath: string;
  /** path in the local model folder (Hugging Face layout): onnx/model.onnx, config.json, ... */
  localPath: string;
  size: number;
  /** Git LFS files */
  sha256: string | null;
  /** other files: the git blob id */
  gitSha1: string | null;
}

export interface ModelManifest {
  repo: string;
  commit: string;
  files: ManifestFile[];
}

/** Files a usable folder must hold (hub names inside onnx/). */
const REQUIRED_IN_HUB_FOLDER = ['model.onnx', 'config.json', 'tokenizer.json', 'tokenizer_config.json'];

interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs: number;
}

export async function resolveCommit(source: HubSource, options: RequestOptions): Promise<string> {
  if (isCommitSha(source.revision)) return source.revision;
  const url = revisionInfoUrl(source);
  const res = await httpGet(url, { ...options, headers: { accept: 'application/json' } });
  await expectOk(res, `revision "${source.revision}" of ${source.repo}`);
  const info = parseJson(await readText(res), url) as { sha?: unknown };
  if (typeof info?.sha !== 'string' || !isCommitSha(info.sha)) throw new DownloadError('protocol', `the hub's answer at ${url} names no commit`, { url });
  return info.sha;
}

export async function fetchManifest(source: HubSource, commit: string, options: RequestOptions): Promise<ModelManifest> {
  const url = treeUrl(source, commit);
  const res = await httpGet(url, { ...options, headers: { accept: 'application/json' } });
  await expectOk(res, `folder ${HUB_SUBFOLDER}/ of ${source.repo}@${commit}`);
  const entries = parseJson(await readText(res), url);
  if (!Array.isArray(entries)) throw new DownloadError('protocol', `the hub's file list at ${url} is not a list`, { url });

  const files: ManifestFile[] = [];
  for (const e of entries as unknown[]) {
    const file = toManifestFile(e);
    if (file) files.push(file);
  }
  const names = new Set(files.map((f) => f.hubPath.slice(HUB_SUBFOLDER.length + 1)));
  const missing = REQUIRED_IN_HUB_FOLDER.filter((n) => !names.has(n));
  if (missing.length > 0) {
    throw new DownloadError(
      'protocol',
      `${source.repo}@${commit} has no ${missing.map((m) => `${HUB_SUBFOLDER}/${m}`).join(', ')} (its ${HUB_SUBFOLDER}/ folder holds: ${[...names].join(', ') || 'nothing'})`,
      { url },
    );
  }
  return { repo: source.repo, commit, files };
}

function toManifestFile(e: unknown): ManifestFile | null {
  if (!e || typeof e !== 'object') return null;
  const { type, path: hubPath, size, oid, lfs } = e as Record<string, unknown>;
  if (type !== 'file' || typeof hubPath !== 'string') return null;
  const prefix = `${HUB_SUBFOLDER}/`;
  if (!hubPath.startsWith(prefix)) return null;
  const name = hubPath.slice(prefix.length);
  // plain names only: they become local paths
  if (!/^[\w-][\w.-]*$/.test(name) || name.endsWith('.md')) return null;
  // Of the ONNX graphs only the ones we load (fp32 and int8), with external data if any.
  const isGraph = /\.onnx(_data)?$/.test(name);
  if (isGraph && !/^model(_quantized)?\.onnx(_data)?$/.test(name)) return null;
  const lfsInfo = lfs && typeof lfs === 'object' ? (lfs as Record<string, unknown>) : null;
  const sha256 = lfsInfo && typeof lfsInfo.oid === 'string' && /^[0-9a-f]{64}$/.test(lfsInfo.oid) ? lfsInfo.oid : null;
  const gitSha1 = !lfsInfo && typeof oid === 'string' && /^[0-9a-f]{40}$/.test(oid) ? oid : null;
  const bytes = lfsInfo && typeof lfsInfo.size === 'number' ? lfsInfo.size : size;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) return null;
  if (!sha256 && !gitSha1) return null;
  return { hubPath, localPath: isGraph ? `onnx/${name}` : name, size: bytes, sha256, gitSha1 };
}

async function expectOk(res: HttpResponse, what: string): Promise<void> {
  if (res.status === 200) return;
  res.body.resume();
  const url = res.url;
  if (res.status === 404) throw new DownloadError('http', `the hub has no ${what} (HTTP 404 at ${url})`, { url, status: 404 });
  if (res.status === 401 || res.status === 403) {
    throw new DownloadError('http', `the hub refused access to ${what} (HTTP ${res.status} at ${url}); gated or private repositories are not supported`, { url, status: res.status });
  }
  throw new DownloadError('http', `the hub answered HTTP ${res.status} for ${what} at ${url}`, { url, status: res.status });
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DownloadError('protocol', `the hub's answer at ${url} is not JSON`, { url });
  }
}

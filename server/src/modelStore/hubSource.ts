import * as path from 'node:path';

/**
 * Where the model comes from on the Hugging Face hub, and where a download of it lives in the cache.
 *
 * PINNED_REVISION is a full commit of ProtectAI/distilroberta-base-rejection-v1: the head of
 * `main` as the hub API reported it in 2026 (its history: the ONNX export was added by
 * 86eed0da3cce23d842603b80df9c801fcb532953, then 65584967c3f22ff7723e5370c65e0e76791e6055 fixed
 * the README). Its `onnx/` folder holds model.onnx (fp32, ~329 MB, Git LFS), config.json,
 * tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.json and merges.txt.
 * A commit never changes, so the file list, sizes and checksums the hub API reports for it are
 * fixed too; a branch or tag name is resolved to its commit before anything is downloaded.
 * To move the pin: `GET https://huggingface.co/api/models/<repo>/revision/main` gives `sha`.
 */
export const DEFAULT_ENDPOINT = 'https://huggingface.co';
export const DEFAULT_REPO = 'ProtectAI/distilroberta-base-rejection-v1';
export const PINNED_REVISION = '86520b5f35829cf9209a449e1716b56c70ddd802';
/** The hub folder the ONNX export and its tokenizer/config files live in. */
export const HUB_SUBFOLDER = 'onnx';

export interface HubSource {
  /** e.g. https://huggingface.co (no trailing slash needed) */
  endpoint: string;
  /** owner/name */
  repo: string;
  /** a commit sha, branch or tag */
  revision: string;
}

export function hubSource(partial: Partial<HubSource> = {}): HubSource {
  return {
    endpoint: (partial.endpoint || DEFAULT_ENDPOINT).replace(/\/+$/, ''),
    repo: partial.repo || DEFAULT_REPO,
    revision: partial.revision || PINNED_REVISION,
  };
}

export function isCommitSha(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/** The repository's short name: the folder name expected under models/. */
export function repoName(repo: string): string {
  return repo.slice(repo.lastIndexOf('/') + 1);
}

export function revisionInfoUrl(s: HubSource): string {
  return `${s.endpoint}/api/models/${s.repo}/revision/${encodeURIComponent(s.revision)}`;
}

export function treeUrl(s: HubSource, commit: string, folder = HUB_SUBFOLDER): string {
  return `${s.endpoint}/api/models/${s.repo}/tree/${commit}/${folder}`;
}

export function resolveUrl(s: HubSource, commit: string, hubPath: string): string {
  return `${s.endpoint}/${s.repo}/resolve/${commit}/${hubPath.split('/').map(encodeURIComponent).join('/')}`;
}

/** Where one repository's downloads live under the cache directory. */
export interface CachePaths {
  /** <cache>/models/<owner>--<name> */
  repoDir: string;
  /** the complete model folder of a commit (exists only once complete) */
  folder(commit: string): string;
  /** partial files of a commit's download (kept for resume; never taken for a model) */
  staging(commit: string): string;
  lock(commit: string): string;
  /** branch/tag name -> commit, written after a download by name */
  ref(revision: string): string;
}

export function cachePaths(cacheDir: string, repo: string): CachePaths {
  const repoDir = path.join(cacheDir, 'models', repo.replace(/\//g, '--'));
  return {
    repoDir,
    folder: (commit) => path.join(repoDir, commit),
    staging: (commit) => path.join(repoDir, `.staging-${commit}`),
    lock: (commit) => path.join(repoDir, `.${commit}.lock`),
    ref: (revision) => path.join(repoDir, 'refs', encodeURIComponent(revision)),
  };
}

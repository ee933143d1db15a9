/**
 * findModel: which model folder the model detector loads, and why; or, when none, one message
 * saying what to do. Engine side (no editor imports): the CLI and the language server call it.
 *
 *   const found = await findModel({ configuredPath, modelsDir, cacheDir, allowDownload, download: { signal, onProgress } });
 *   if (found.folder) load(found.folder.onnx.fp32, found.folder.path);   // cache results under found.folder.identity
 *   else { notice(found.reason); useLexical(); }
 *
 * Looks, in this order, and takes the first complete folder (Hugging Face layout: config.json,
 * tokenizer.json, tokenizer_config.json, onnx/model.onnx; onnx/model_quantized.onnx optional):
 *   1. `configuredPath` (--model PATH, the refusalLens.modelPath setting). If it is set but not
 *      a complete folder the search stops there, with a reason naming exactly what is missing:
 *      an explicit choice is never silently replaced by another model.
 *   2. `<modelsDir>/<repo name>`, e.g. models/distilroberta-base-rejection-v1/.
 *   3. the download cache: `<cacheDir>/models/<owner>--<name>/<commit>/`, used only with its
 *      completion marker (written last by a download that verified every file).
 *   4. a download from the hub into that cache (download.ts), only when `allowDownload`.
 * Never throws: every failure (download errors included) becomes `reason`.
 * `considered` lists each place looked at and what was wrong with it (for `model status`).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { downloadModel, type DownloadOptions } from './download';
import { cachePaths, hubSource, isCommitSha, repoName, type HubSource } from './hubSource';
import { checkCacheFolder, checkLayout, describeFolder, type ModelFolder, type ModelSource } from './modelFolder';

export type { ModelFolder, ModelSource } from './modelFolder';

export interface FindModelOptions {
  /** --model PATH / refusalLens.modelPath; `~` is expanded; empty means unset */
  configuredPath?: string | null;
  /** the models/ folder next to the extension or the CLI package */
  modelsDir?: string | null;
  /** the download cache: the extension's global storage, or e.g. $XDG_CACHE_HOME/refusal-lens */
  cacheDir?: string | null;
  /** endpoint, repo and revision; defaults: huggingface.co, ProtectAI/distilroberta-base-rejection-v1, the pinned commit */
  hub?: Partial<HubSource>;
  /** download into `cacheDir` when nothing is found locally */
  allowDownload?: boolean;
  download?: Pick<DownloadOptions, 'signal' | 'onProgress' | 'onStatus' | 'timeoutMs'>;
}

export interface Considered {
  source: ModelSource;
  path: string;
  /** null: this one is used */
  problem: string | null;
}

export type FindModelResult = { folder: ModelFolder; considered: Considered[] } | { folder: null; reason: string; considered: Considered[] };

/** What users can do, named the same way in every message. */
export const SET_LOCAL_FOLDER = 'set a local model folder (--model PATH, or the refusalLens.modelPath setting)';
export const ALLOW_DOWNLOAD = "allow the download (run 'refusal-lens model download', or turn on the refusalLens.allowDownload setting)";

export async function findModel(options: FindModelOptions): Promise<FindModelResult> {
  const considered: Considered[] = [];
  try {
    return await search(options, considered);
  } catch (e) {
    return { folder: null, reason: `Could not look for a model: ${(e as Error)?.message ?? String(e)}`, considered };
  }
}

async function search(options: FindModelOptions, considered: Considered[]): Promise<FindModelResult> {
  const hub = hubSource(options.hub);
  const configured = options.configuredPath?.trim() ? path.resolve(expandHome(options.configuredPath.trim())) : null;
  if (configured) {
    const { problem } = await checkLayout(configured);
    considered.push({ source: 'configured', path: configured, problem });
    if (!problem) return { folder: await describeFolder(configured, 'configured', null), considered };
    return {
      folder: null,
      reason: `The model folder set with --model or refusalLens.modelPath cannot be used: ${problem}. A model folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (see models/README.md); fix it, or clear the setting to use the default model.`,
      considered,
    };
  }

  const modelsTarget = options.modelsDir ? path.join(path.resolve(options.modelsDir), repoName(hub.repo)) : null;
  if (modelsTarget) {
    const { problem } = await checkLayout(modelsTarget);
    considered.push({ source: 'models-dir', path: modelsTarget, problem });
    if (!problem) return { folder: await describeFolder(modelsTarget, 'models-dir', null), considered };
  }

  const cacheDir = options.cacheDir ? path.resolve(expandHome(options.cacheDir)) : null;
  if (cacheDir) {
    const cached = await lookInCache(cacheDir, hub);
    considered.push({ source: 'cache', path: cached.path, problem: cached.problem });
    if (cached.commit && !cached.problem) return { folder: await describeFolder(cached.path, 'cache', { repo: hub.repo, commit: cached.commit }), considered };
  }

  const placeFiles = `place the files under ${modelsTarget ?? `models/${repoName(hub.repo)}/`} (see models/README.md)`;
  if (options.allowDownload && cacheDir) {
    try {
      const folder = await downloadModel({ ...options.download, cacheDir, ...hub });
      considered.push({ source: folder.source, path: folder.path, problem: null });
      return { folder, considered };
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      considered.push({ source: 'downloaded', path: hub.endpoint, problem: message });
      return { folder: null, reason: `Could not download the model ${hub.repo} from ${hub.endpoint}: ${message}. To work without the download, ${SET_LOCAL_FOLDER} or ${placeFiles}.`, considered };
    }
  }

  const incomplete = considered.filter((c) => c.problem && c.source === 'models-dir' && !c.problem.endsWith('does not exist'));
  const found = incomplete.length > 0 ? ` (${incomplete.map((c) => c.problem).join('; ')})` : '';
  return {
    folder: null,
    reason: `No model found${found}. To use the model, ${SET_LOCAL_FOLDER}, ${placeFiles}, or ${ALLOW_DOWNLOAD}.`,
    considered,
  };
}

/** Where a download of `hub` lives in `cacheDir` (whether or not it is there yet), for `model status`. */
export function cacheFolderFor(cacheDir: string, hub: Partial<HubSource> = {}): string {
  const s = hubSource(hub);
  const paths = cachePaths(path.resolve(expandHome(cacheDir)), s.repo);
  return isCommitSha(s.revision) ? paths.folder(s.revision) : path.join(paths.repoDir, `<${s.revision}>`);
}

async function lookInCache(cacheDir: string, hub: HubSource): Promise<{ path: string; commit: string | null; problem: string | null }> {
  const paths = cachePaths(cacheDir, hub.repo);
  let commit: string | null = hub.revision;
  if (!isCommitSha(hub.revision)) {
    // a branch or tag: the commit a download by that name recorded
    commit = await fsp.readFile(paths.ref(hub.revision), 'utf8').then((t) => t.trim(), () => null);
    if (!commit || !isCommitSha(commit)) return { path: paths.repoDir, commit: null, problem: `no download of revision "${hub.revision}" in ${paths.repoDir}` };
  }
  const folder = paths.folder(commit);
  const { problem } = await checkCacheFolder(folder, commit);
  return { path: folder, commit, problem };
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? path.join(os.homedir(), p.slice(1)) : p;
}

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/**
 * A model folder in the Hugging Face layout, as transformers.js and onnxruntime read it:
 *   config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx   (required)
 *   onnx/model_quantized.onnx, special_tokens_map.json, vocab.json, merges.txt   (optional)
 * A downloaded folder also holds COMPLETE_MARKER, written last, before the folder is renamed
 * into place: a cache folder without it is never used.
 */

export type ModelSource = 'configured' | 'models-dir' | 'cache' | 'downloaded';

export interface ModelFolder {
  /** absolute path of the folder */
  path: string;
  /** what to show: `owner/name@commit` for the cache, else the folder's name */
  id: string;
  source: ModelSource;
  /** repository and commit, known for cache and downloaded folders */
  repo: string | null;
  revision: string | null;
  /** absolute paths of the ONNX graphs: fp32 always, int8 when present */
  onnx: { fp32: string; quantized: string | null };
  /**
   * A cache key for results: the same string means the same model files. `hub:<repo>@<commit>`
   * for downloads, `local:<hash of names, sizes and mtimes>` for local folders; an int8 file
   * added later (see `onnx.quantized`) changes it.
   */
  identity: string;
  /** every file (relative path and size), for `model status` */
  files: { path: string; size: number }[];
}

export const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;
export const FP32_FILE = 'onnx/model.onnx';
export const QUANTIZED_FILE = 'onnx/model_quantized.onnx';
export const COMPLETE_MARKER = '.refusal-lens-model.json';

/** What a download writes last into its folder. */
export interface CompleteMarker {
  repo: string;
  commit: string;
  /** the revision asked for (a commit, branch or tag) */
  revision: string;
  endpoint: string;
  installedAt: string;
  files: { path: string; size: number; sha256: string | null; gitSha1: string | null }[];
}

export interface LayoutCheck {
  /** missing or empty required files; [] when the folder is usable */
  missing: string[];
  /** what went wrong in words, or null */
  problem: string | null;
}

/** Checks a folder for the required files and says exactly what is wrong. */
export async function checkLayout(dir: string): Promise<LayoutCheck> {
  const st = await statOrNull(dir);
  if (!st) return { missing: [...REQUIRED_FILES], problem: `${dir} does not exist` };
  if (!st.isDirectory()) return { missing: [...REQUIRED_FILES], problem: `${dir} is not a folder` };
  const missing: string[] = [];
  const empty: string[] = [];
  for (const f of REQUIRED_FILES) {
    const s = await statOrNull(path.join(dir, f));
    if (!s?.isFile()) missing.push(f);
    else if (s.size === 0) empty.push(f);
  }
  if (missing.length === 0 && empty.length === 0) return { missing: [], problem: null };
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
  if (empty.length > 0) parts.push(`empty ${empty.join(', ')}`);
  const hint = await layoutHint(dir, missing);
  return { missing: [...missing, ...empty], problem: `${dir} is not a complete model folder: ${parts.join('; ')}${hint ? ` (${hint})` : ''}` };
}

/** The usual mistake: the hub's onnx/ folder copied as is (everything flat). */
async function layoutHint(dir: string, missing: string[]): Promise<string | null> {
  if (missing.includes(FP32_FILE) && (await statOrNull(path.join(dir, 'model.onnx')))?.isFile()) {
    return 'model.onnx is at the top of the folder: move it into onnx/';
  }
  const inOnnx: string[] = [];
  for (const f of missing) {
    if (!f.startsWith('onnx/') && (await statOrNull(path.join(dir, 'onnx', f)))?.isFile()) inOnnx.push(f);
  }
  if (inOnnx.length > 0) return `${inOnnx.join(', ')} ${inOnnx.length === 1 ? 'is' : 'are'} inside onnx/: move ${inOnnx.length === 1 ? 'it' : 'them'} up into the folder itself`;
  return null;
}

/** For a cache folder: the layout, plus the completion marker and the sizes it lists. */
export async function checkCacheFolder(dir: string, commit: string): Promise<{ problem: string | null; marker: CompleteMarker | null }> {
  const layout = await checkLayout(dir);
  if (layout.problem) return { problem: layout.problem, marker: null };
  const marker = await readMarker(dir);
  if (!marker) return { problem: `${dir} has no completion marker (${COMPLETE_MARKER}): an unfinished download`, marker: null };
  if (marker.commit !== commit) return { problem: `${dir} holds commit ${marker.commit}, not ${commit}`, marker: null };
  for (const f of marker.files) {
    const s = await statOrNull(path.join(dir, f.path));
    if (!s?.isFile() || s.size !== f.size) return { problem: `${dir}: ${f.path} ${s ? `has ${s.size} bytes, expected ${f.size}` : 'is missing'}`, marker: null };
  }
  return { problem: null, marker };
}

export async function readMarker(dir: string): Promise<CompleteMarker | null> {
  try {
    const m = JSON.parse(await fsp.readFile(path.join(dir, COMPLETE_MARKER), 'utf8')) as CompleteMarker;
    return typeof m?.commit === 'string' && typeof m.repo === 'string' && Array.isArray(m.files) ? m : null;
  } catch {
    return null;
  }
}

/** Describes a folder that passed its checks. */
export async function describeFolder(dir: string, source: ModelSource, hub: { repo: string; commit: string } | null): Promise<ModelFolder> {
  const abs = path.resolve(dir);
  const files = await listFiles(abs);
  const quantized = files.find((f) => f.path === QUANTIZED_FILE) ? path.join(abs, QUANTIZED_FILE) : null;
  return {
    path: abs,
    id: hub ? `${hub.repo}@${hub.commit}` : path.basename(abs),
    source,
    repo: hub?.repo ?? null,
    revision: hub?.commit ?? null,
    onnx: { fp32: path.join(abs, FP32_FILE), quantized },
    identity: await identityOf(abs, hub, quantized !== null),
    files: files.map(({ path: p, size }) => ({ path: p, size })),
  };
}

async function identityOf(dir: string, hub: { repo: string; commit: string } | null, hasQuantized: boolean): Promise<string> {
  const stamp = async (rel: string) => {
    const s = await fsp.stat(path.join(dir, rel));
    return `${rel}\t${s.size}\t${Math.round(s.mtimeMs)}`;
  };
  if (hub) return `hub:${hub.repo}@${hub.commit}${hasQuantized ? `+int8:${createHash('sha256').update(await stamp(QUANTIZED_FILE)).digest('hex').slice(0, 12)}` : ''}`;
  const names: string[] = [...REQUIRED_FILES, ...(hasQuantized ? [QUANTIZED_FILE] : [])];
  const lines = await Promise.all(names.map(stamp));
  return `local:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
}

async function listFiles(dir: string): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  for (const sub of ['', 'onnx']) {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fsp.readdir(path.join(dir, sub), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.isFile() || e.name.startsWith('.')) continue;
      const rel = sub ? `${sub}/${e.name}` : e.name;
      out.push({ path: rel, size: (await fsp.stat(path.join(dir, rel))).size });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function statOrNull(p: string): Promise<import('node:fs').Stats | null> {
  try {
    return await fsp.stat(p);
  } catch {
    return null;
  }
}

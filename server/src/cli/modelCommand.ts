import { downloadModel } from '../modelStore/download';
import { DownloadError } from '../modelStore/downloadError';
import { cacheFolderFor, findModel, type Considered, type FindModelResult } from '../modelStore/findModel';
import { cachePaths, DEFAULT_ENDPOINT, DEFAULT_REPO, hubSource, isCommitSha, PINNED_REVISION, type HubSource } from '../modelStore/hubSource';
import { choiceOption, parseArgs, stringOption, UsageError, type OptionSpecs, type ParsedArgs } from './args';
import { threadsOption } from './detectorArgs';
import { DownloadProgressDisplay, formatBytes } from './downloadProgress';
import { EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, type CliIo } from './exitCodes';
import { packageModelsDir, userCacheDir } from './modelLocations';
import { defaultThreads } from '../classify/detectorChoice';
import { choosePrecision, describeVerification, PRECISIONS } from '../classify/model/int8Model';
import { int8State, RECORD_FILE } from '../modelStore/quantize/int8Record';
import { QUANTIZED_FILE, type ModelFolder } from '../modelStore/modelFolder';
import { int8ProgressPrinter } from './int8Progress';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export const MODEL_OPTIONS: OptionSpecs = {
  model: { type: 'string' },
  'cache-dir': { type: 'string' },
  endpoint: { type: 'string' },
  repo: { type: 'string' },
  revision: { type: 'string' },
  precision: { type: 'string' },
  threads: { type: 'string' },
  force: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const MODEL_HELP = `Usage: refusal-lens model <download|status|path|quantize> [options]

Manages the classifier model (${DEFAULT_REPO}).

Subcommands:
  download   download the model from the Hugging Face hub into the cache: resumes a broken
             transfer, verifies sizes and checksums, installs all or nothing (Ctrl-C cancels)
  status     which model folder would be used and why (or why none), its files and sizes
  path       print the model folder that would be used (exit 1 if none)
  quantize   make the int8 model beside the fp32 one (onnx/model_quantized.onnx) and check it
             against fp32 on a fixed set of texts; done once per model file (download and the
             first scan with --precision auto or int8 do it too). Exit 1 if the check refuses it

Where a model is looked for, in order: --model PATH; models/${DEFAULT_REPO.split('/')[1]}/
next to the CLI; the download cache. See docs/model-management.md.

Options:
  --model PATH       a local model folder (config.json, tokenizer.json, tokenizer_config.json,
                     onnx/model.onnx)
  --cache-dir DIR    the download cache (default $XDG_CACHE_HOME/refusal-lens, else the user
                     cache folder: ${userCacheDir()})
  --endpoint URL     the hub (default $HF_ENDPOINT, else ${DEFAULT_ENDPOINT})
  --repo OWNER/NAME  the model repository (default ${DEFAULT_REPO})
  --revision REV     a commit, branch or tag (default the pinned commit ${PINNED_REVISION})
  --precision P      download: auto (default) or int8 also prepares the int8 model; fp32 does not
  --threads N        download, quantize: threads for the check against fp32 (default every core)
  --force            quantize: make the int8 model again even if it is current

Exit codes: 0 done (status, path: a model is available), 1 no model or an error, 130 cancelled.`;

/** Where to look; the defaults are the package's models/ and the user cache (tests pass their own). */
export interface ModelPlaces {
  modelsDir?: string | null;
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** `signal`: Ctrl-C (main.ts aborts it on SIGINT); a cancelled download installs nothing. */
export async function modelCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal, places: ModelPlaces = {}): Promise<number> {
  const args = parseArgs(argv, MODEL_OPTIONS);
  const [sub, ...extra] = args.positionals;
  if (args.options.help || sub === 'help') {
    io.stdout.write(`${MODEL_HELP}\n`);
    return EXIT_OK;
  }
  if (!sub) throw new UsageError('model needs a subcommand: download, status, path or quantize (try: refusal-lens model --help)');
  if (extra.length > 0) throw new UsageError(`model ${sub} takes no arguments, got "${extra.join(' ')}"`);
  const env = places.env ?? process.env;
  const hub = hubSource({ endpoint: stringOption(args, 'endpoint') ?? env.HF_ENDPOINT, repo: stringOption(args, 'repo'), revision: stringOption(args, 'revision') });
  if (!/^[\w.-]+\/[\w.-]+$/.test(hub.repo)) throw new UsageError(`--repo must be OWNER/NAME, got "${hub.repo}"`);
  if (!/^https?:\/\/[^/]/.test(hub.endpoint)) throw new UsageError(`--endpoint must be an http(s) URL, got "${hub.endpoint}"`);
  const lookup = {
    configuredPath: stringOption(args, 'model') ?? null,
    modelsDir: places.modelsDir === undefined ? packageModelsDir() : places.modelsDir,
    cacheDir: stringOption(args, 'cache-dir') ?? places.cacheDir ?? userCacheDir(env),
    hub,
  };
  switch (sub) {
    case 'path': {
      const found = await findModel(lookup);
      if (!found.folder) {
        io.stderr.write(`refusal-lens: ${found.reason}\n`);
        return EXIT_ERROR;
      }
      io.stdout.write(`${found.folder.path}\n`);
      return EXIT_OK;
    }
    case 'status':
      return status(await findModel(lookup), lookup.cacheDir, hub, io);
    case 'download': {
      if (lookup.configuredPath) throw new UsageError('--model names a local folder: there is nothing to download for it');
      const precision = choiceOption(args, 'precision', PRECISIONS) ?? 'auto';
      const threads = threadsOption(args) ?? defaultThreads('cli');
      const code = await download(lookup.cacheDir, hub, io, args, signal);
      if (code !== EXIT_OK || precision === 'fp32') return code;
      const found = await findModel({ ...lookup, modelsDir: null });
      if (found.folder) await prepareInt8(found.folder, threads, false, io, signal);
      return code;
    }
    case 'quantize': {
      const found = await findModel(lookup);
      if (!found.folder) {
        io.stderr.write(`refusal-lens: ${found.reason}\n`);
        return EXIT_ERROR;
      }
      return prepareInt8(found.folder, threadsOption(args) ?? defaultThreads('cli'), Boolean(args.options.force), io, signal);
    }
    default:
      throw new UsageError(`unknown model subcommand "${sub}" (download, status, path or quantize)`);
  }
}

const SOURCE_LABEL: Record<Considered['source'], string> = {
  configured: '--model',
  'models-dir': 'models folder',
  cache: 'download cache',
  downloaded: 'download',
};

async function status(found: FindModelResult, cacheDir: string, hub: HubSource, io: CliIo): Promise<number> {
  const out = io.stdout;
  const pinned = hub.revision === PINNED_REVISION ? ' (the pinned commit)' : '';
  out.write(`Model: ${hub.repo} at ${hub.revision}${pinned}, from ${hub.endpoint}\n`);
  out.write('Looked at, in order:\n');
  found.considered.forEach((c, i) => {
    out.write(`  ${i + 1}. ${SOURCE_LABEL[c.source].padEnd(15)} ${c.path}\n`);
    const problem = c.problem?.startsWith(`${c.path} `) ? c.problem.slice(c.path.length + 1) : c.problem;
    out.write(`     ${problem === null ? 'complete: used' : problem}\n`);
  });
  if (!found.folder) {
    out.write(`Using: none\n${found.reason}\n`);
    out.write(`'refusal-lens model download' would install it in ${cacheFolderFor(cacheDir, hub)}\n`);
    return EXIT_ERROR;
  }
  const f = found.folder;
  out.write(`Using: ${f.path}\n`);
  out.write(`  source    ${SOURCE_LABEL[f.source]}\n  id        ${f.id}\n  identity  ${f.identity}\n`);
  out.write(`  onnx      ${f.onnx.fp32}${f.onnx.quantized ? `\n            ${f.onnx.quantized} (int8)` : ''}\n`);
  out.write('  files:\n');
  const width = Math.max(...f.files.map((x) => x.path.length));
  for (const file of f.files) out.write(`    ${file.path.padEnd(width)}  ${formatBytes(file.size).padStart(9)}\n`);
  out.write(`    ${'total'.padEnd(width)}  ${formatBytes(f.files.reduce((n, x) => n + x.size, 0)).padStart(9)}\n`);
  for (const line of await int8Lines(f)) out.write(`${line}\n`);
  return EXIT_OK;
}

/** The int8 model's state for `model status`: what it is, how it was made, its check against fp32. */
async function int8Lines(f: ModelFolder): Promise<string[]> {
  const { record, state } = await int8State(f.path);
  if (state === 'missing') return ["  int8      not made yet: made on first use (precision auto or int8), or by 'refusal-lens model quantize'"];
  const lines = [`  int8      ${path.join(f.path, QUANTIZED_FILE)}`];
  if (!record) return [...lines, `            not checked yet (no ${RECORD_FILE}): checked on first use, or by 'refusal-lens model quantize'`];
  const made = record.origin === 'quantized' && record.options
    ? `quantized ${record.createdAt.slice(0, 10)} from ${record.source.file} (sha256 ${record.source.sha256.slice(0, 12)}...): weights ${record.options.granularity}, embeddings ${record.options.embeddings}, ${record.counts?.matmul ?? 0} MatMul, ${record.counts?.gemm ?? 0} Gemm, ${record.counts?.gather ?? 0} Gather`
    : `found beside the model (not made here); source sha256 ${record.source.sha256.slice(0, 12)}...`;
  lines.push(`            ${formatBytes(record.output.size)}, ${made}`);
  lines.push(`            ${record.verification ? describeVerification(record.verification) : 'not checked against fp32 yet: checked on first use'}`);
  if (state === 'source-changed') lines.push('            onnx/model.onnx changed since: checked (and made again if its content differs) on next use');
  if (state === 'output-changed') lines.push('            the int8 file changed since it was checked: checked again on next use');
  return lines;
}

/** Makes (if needed) and checks the int8 model of a folder; exit 1 when the check refuses it or it cannot be made. */
async function prepareInt8(folder: ModelFolder, threads: number, force: boolean, io: CliIo, signal?: AbortSignal): Promise<number> {
  if (force) {
    await fsp.rm(path.join(folder.path, RECORD_FILE), { force: true });
    await fsp.rm(path.join(folder.path, QUANTIZED_FILE), { force: true });
  }
  const choice = await choosePrecision(folder.path, 'int8', { threads, signal, onStep: int8ProgressPrinter(io.stderr) });
  if (choice.used === 'int8') {
    io.stdout.write(`int8 model ready: ${choice.onnxFile} (${formatBytes(choice.record!.output.size)})\n`);
    return EXIT_OK;
  }
  io.stderr.write(`refusal-lens: ${choice.reason}\n`);
  return EXIT_ERROR;
}

async function download(cacheDir: string, hub: HubSource, io: CliIo, args: ParsedArgs, signal?: AbortSignal): Promise<number> {
  const progress = new DownloadProgressDisplay(io.stderr);
  const onAbort = () => {
    progress.done();
    io.stderr.write('cancelling...\n');
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  io.stderr.write(`${hub.repo} at ${hub.revision} from ${hub.endpoint}\n`);
  try {
    const folder = await downloadModel({
      cacheDir,
      ...hub,
      signal,
      onProgress: (p) => progress.update(p),
      onStatus: (message) => {
        progress.done();
        io.stderr.write(`${message}\n`);
      },
    });
    progress.done();
    const size = formatBytes(folder.files.reduce((n, f) => n + f.size, 0));
    io.stdout.write(folder.source === 'cache' ? `Already downloaded (${size}): ${folder.path}\n` : `Downloaded and verified ${folder.id} (${size}): ${folder.path}\n`);
    return EXIT_OK;
  } catch (e) {
    progress.done();
    if (!(e instanceof DownloadError)) throw e;
    if (e.kind === 'cancelled') {
      const staging = isCommitSha(hub.revision) ? cachePaths(cacheDir, hub.repo).staging(hub.revision) : cachePaths(cacheDir, hub.repo).repoDir;
      io.stderr.write(`refusal-lens: download cancelled; nothing was installed (partial files stay in ${staging} and the next download resumes them)\n`);
      return EXIT_CANCELLED;
    }
    io.stderr.write(`refusal-lens: could not download the model: ${e.message}\n`);
    if (args.options.debug && e.stack) io.stderr.write(`${e.stack}\n`);
    return EXIT_ERROR;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

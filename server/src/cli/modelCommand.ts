import { downloadModel } from '../modelStore/download';
import { DownloadError } from '../modelStore/downloadError';
import { cacheFolderFor, findModel, type Considered, type FindModelResult } from '../modelStore/findModel';
import { cachePaths, DEFAULT_ENDPOINT, DEFAULT_REPO, hubSource, isCommitSha, PINNED_REVISION, type HubSource } from '../modelStore/hubSource';
import { parseArgs, stringOption, UsageError, type OptionSpecs, type ParsedArgs } from './args';
import { DownloadProgressDisplay, formatBytes } from './downloadProgress';
import { EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, type CliIo } from './exitCodes';
import { packageModelsDir, userCacheDir } from './modelLocations';

export const MODEL_OPTIONS: OptionSpecs = {
  model: { type: 'string' },
  'cache-dir': { type: 'string' },
  endpoint: { type: 'string' },
  repo: { type: 'string' },
  revision: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const MODEL_HELP = `Usage: refusal-lens model <download|status|path> [options]

Manages the classifier model (${DEFAULT_REPO}).

Subcommands:
  download   download the model from the Hugging Face hub into the cache: resumes a broken
             transfer, verifies sizes and checksums, installs all or nothing (Ctrl-C cancels)
  status     which model folder would be used and why (or why none), its files and sizes
  path       print the model folder that would be used (exit 1 if none)

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
  if (!sub) throw new UsageError('model needs a subcommand: download, status or path (try: refusal-lens model --help)');
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
    case 'download':
      if (lookup.configuredPath) throw new UsageError('--model names a local folder: there is nothing to download for it');
      return download(lookup.cacheDir, hub, io, args, signal);
    default:
      throw new UsageError(`unknown model subcommand "${sub}" (download, status or path)`);
  }
}

const SOURCE_LABEL: Record<Considered['source'], string> = {
  configured: '--model',
  'models-dir': 'models folder',
  cache: 'download cache',
  downloaded: 'download',
};

function status(found: FindModelResult, cacheDir: string, hub: HubSource, io: CliIo): number {
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
  return EXIT_OK;
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

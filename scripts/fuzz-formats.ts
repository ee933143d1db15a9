/**
 * Robustness sweep over the formats: every input file, and broken variants of it (cut at random
 * points, bytes flipped, quotes stripped or added, lines dropped or doubled, NUL and invalid
 * UTF-8 inserted, brackets swapped, deep nesting, values of the wrong type, Python's NaN, CR LF,
 * BOM, the file fifty times over), are scanned by the engine with the lexical detector (as the
 * CLI reads files) and extracted as an open document (as the editor does). It fails when anything throws past the engine, when a
 * file takes longer than the timeout (each file runs in a worker thread that is killed then), or
 * when a record is malformed: an error without a message or a place inside the file, a response
 * range outside the file or not slicing back to its text. Then the CLI scans each file's variants
 * in one run and must exit 0 with a JSON report that lists every one of them.
 *
 *   npx tsx scripts/fuzz-formats.ts [--seed N] [--variants N] [--timeout-ms N] [--no-cli] [files or folders...]
 *
 * Without paths: examples/ and test/fixtures/formats/. Deterministic for a seed; the variants are
 * written under a temporary folder that is removed at the end (kept with --keep).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { LexicalDetector } from '../server/src/classify/lexical/lexicalDetector';
import { SCANNED_EXTENSIONS } from '../server/src/cli/expandInputs';
import { defaultExtractSettings, extractText } from '../server/src/engine/extract';
import { scanFile, type ScanSettings } from '../server/src/engine/scan';
import type { ParseErrorRecord } from '../server/src/formats/records';
import { LineIndex, type Range } from '../server/src/text/positions';
import { DEFAULT_THRESHOLD, type Verdict } from '../server/src/verdicts/verdict';

const repoRoot = path.resolve(__dirname, '..');
const JSONL = /\.(jsonl|ndjson|jsonlines)$/i;

interface Job {
  file: string;
}

interface Outcome {
  file: string;
  format: string | null;
  responses: number;
  errors: number;
  /** What is wrong with the records (empty when all is well). */
  problems: string[];
  /** An exception that came out of the engine. */
  thrown: string | null;
}

// ---------------------------------------------------------------- worker: scan one file, check its records

async function scanOne(file: string): Promise<Outcome> {
  const settings: ScanSettings = { ...defaultExtractSettings, maxFileBytes: 256 * 1024 * 1024, threshold: DEFAULT_THRESHOLD };
  const verdicts: Verdict[] = [];
  const errors: ParseErrorRecord[] = [];
  let format: string | null = null;
  let thrown: string | null = null;
  try {
    await scanFile(file, new LexicalDetector(), settings, {
      verdicts: (_p, v) => verdicts.push(...v),
      errors: (_p, e) => errors.push(...e),
      fileDone: (_p, f) => (format = f),
    });
  } catch (e) {
    thrown = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  const data = fs.readFileSync(file);
  const problems = thrown ? [] : checkRecords(data, verdicts, errors);
  // the editor's way in: the whole text, as an open document
  if (!thrown && !isZip(data)) {
    try {
      // editors drop a UTF-8 BOM from a document's text
      const x = extractText(data.toString('utf8').replace(/^\uFEFF/, ''), file, settings);
      for (const p of checkRecords(data, x.responses.map((response) => ({ response, sentence: null })), x.errors)) problems.push(`(as a document) ${p}`);
    } catch (e) {
      thrown = `(as a document) ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    }
  }
  return { file, format, responses: verdicts.length, errors: errors.length, problems, thrown };
}

function isZip(data: Buffer): boolean {
  return data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}

function checkRecords(data: Buffer, verdicts: ReadonlyArray<Pick<Verdict, 'response' | 'sentence'>>, errors: readonly ParseErrorRecord[]): string[] {
  const problems: string[] = [];
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  // lines as editors count them (LF, CR LF, or a lone CR), as the engine's LineIndex does
  const index = new LineIndex(text);
  const lineCount = index.positionAt(text.length).line + 1;
  const isArchive = isZip(data);
  const inside = (r: Range, entry: string | undefined): boolean => {
    const ok = (p: Range['start']) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0;
    if (!ok(r.start) || !ok(r.end)) return false;
    if (r.end.line < r.start.line || (r.end.line === r.start.line && r.end.character < r.start.character)) return false;
    if (isArchive || entry !== undefined) return true; // archive members: positions in the member, not in this file
    return r.end.line < lineCount && index.offsetAt(r.end) <= text.length && sameLine(index, r.end);
  };
  for (const e of errors) {
    if (!e.message || e.message.trim() === '') problems.push(`an error without a message (${e.kind})`);
    if (!inside(e.range, e.entry)) problems.push(`error "${e.message.slice(0, 60)}" placed outside the file: ${JSON.stringify(e.range)}`);
  }
  for (const v of verdicts) {
    const r = v.response;
    if (!inside(r.range, r.entry)) {
      problems.push(`${r.id}: range outside the file ${JSON.stringify(r.range)}`);
      continue;
    }
    if (v.sentence && !inside(v.sentence.range, r.entry)) problems.push(`${r.id}: sentence range outside the file`);
    if (isArchive || r.entry !== undefined) continue;
    const raw = text.slice(index.offsetAt(r.range.start), index.offsetAt(r.range.end));
    if (!decodesTo(raw, r.text)) problems.push(`${r.id}: range slices ${JSON.stringify(raw.slice(0, 50))}, not the text ${JSON.stringify(r.text.slice(0, 50))}`);
  }
  return problems;
}

/** A position that stays on its line (a character past the line's end would be on the next). */
function sameLine(index: LineIndex, p: Range['start']): boolean {
  return index.positionAt(index.offsetAt(p)).line === p.line;
}

/** The slice read back as the formats encode text: inside a JSON string, plain (CR LF as LF), a quoted CSV field. */
function decodesTo(raw: string, text: string): boolean {
  const plain = raw.replace(/\r\n?/g, '\n');
  if (plain === text || plain.replace(/""/g, '"') === text) return true;
  try {
    // control characters a broken file holds raw are read as themselves (the parser reports them)
    const escaped = raw.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (JSON.parse(`"${escaped}"`) === text) return true;
  } catch {
    // not a JSON string's inside
  }
  // texts joined from several parts (a list of content parts, a prompt typed on several lines) span the gaps between them
  return text.includes('\n') && raw.length >= text.length / 2;
}

if (!isMainThread) {
  parentPort!.on('message', (job: Job) => {
    void scanOne(job.file).then((o) => parentPort!.postMessage(o));
  });
}

// ---------------------------------------------------------------- main: variants, worker with a timeout, CLI

/** mulberry32: a small seeded generator, so a seed always gives the same variants. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (data: Buffer, rand: () => number) => Buffer;

const int = (rand: () => number, n: number) => Math.floor(rand() * n);

function lineBounds(data: Buffer): number[] {
  const starts = [0];
  for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
}

/** Each mutation breaks the file one way; the names say how, in the report. */
const MUTATIONS: Record<string, Mutation> = {
  truncate: (d, r) => d.subarray(0, int(r, d.length)),
  'truncate-near-end': (d, r) => d.subarray(0, Math.max(0, d.length - 1 - int(r, Math.min(64, d.length)))),
  'flip-bytes': (d, r) => {
    const out = Buffer.from(d);
    for (let k = 1 + int(r, 8); k > 0 && out.length > 0; k--) out[int(r, out.length)] ^= 1 + int(r, 255);
    return out;
  },
  'strip-quotes': (d) => Buffer.from(d.toString('latin1').replace(/"/g, ''), 'latin1'),
  'strip-some-quotes': (d, r) => Buffer.from(d.toString('latin1').replace(/"/g, (q) => (r() < 0.3 ? '' : q)), 'latin1'),
  'drop-line': (d, r) => {
    const starts = lineBounds(d);
    const i = int(r, starts.length);
    return Buffer.concat([d.subarray(0, starts[i]), d.subarray(starts[i + 1] ?? d.length)]);
  },
  'double-line': (d, r) => {
    const starts = lineBounds(d);
    const i = int(r, starts.length);
    const line = d.subarray(starts[i], starts[i + 1] ?? d.length);
    return Buffer.concat([d.subarray(0, starts[i]), line, line.length && line[line.length - 1] === 10 ? Buffer.alloc(0) : Buffer.from('\n'), d.subarray(starts[i])]);
  },
  'insert-nul': (d, r) => insertAt(d, int(r, d.length + 1), Buffer.from([0])),
  'invalid-utf8': (d, r) => insertAt(d, int(r, d.length + 1), Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82])),
  'deep-nesting': (d, r) => insertAt(d, int(r, d.length + 1), Buffer.from('['.repeat(20000))),
  'swap-brackets': (d, r) =>
    Buffer.from(
      d.toString('latin1').replace(/[{}[\]]/g, (c) => (r() < 0.15 ? ({ '{': '[', '}': ']', '[': '{', ']': '}' } as Record<string, string>)[c] : c)),
      'latin1',
    ),
  'wrong-types': (d, r) =>
    Buffer.from(
      d.toString('utf8').replace(/"(?:[^"\\\n]|\\.)*"(?!\s*:)/g, (s) => (r() < 0.2 ? ['null', '42', '{}', '[]', 'true', '[null]', '{"text": 1}'][int(r, 7)] : s)),
      'utf8',
    ),
  'python-nan': (d, r) => Buffer.from(d.toString('utf8').replace(/(:\s*)-?\d+(?:\.\d+)?(?=[,}\s])/g, (m, p: string) => (r() < 0.3 ? `${p}${['NaN', 'Infinity', '-Infinity'][int(r, 3)]}` : m)), 'utf8'),
  crlf: (d) => Buffer.from(d.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'),
  bom: (d) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), d]),
  'repeat-x50': (d) => Buffer.concat(Array.from({ length: 50 }, () => d)),
  'stray-quote': (d, r) => insertAt(d, int(r, d.length + 1), Buffer.from('"')),
  'empty-lines': (d, r) => Buffer.from(d.toString('latin1').replace(/\n/g, (n) => (r() < 0.2 ? '\n\n\n' : n)), 'latin1'),
};

function insertAt(d: Buffer, at: number, bytes: Buffer): Buffer {
  return Buffer.concat([d.subarray(0, at), bytes, d.subarray(at)]);
}

function collectFiles(inputs: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) visit(path.join(p, e));
    else if (st.size <= 8 * 1024 * 1024) out.push(p);
  };
  for (const i of inputs) visit(path.resolve(i));
  return out;
}

class Runner {
  private worker: Worker | null = null;

  constructor(private readonly timeoutMs: number) {}

  private start(): Worker {
    const tsx = require.resolve(['tsx', 'cjs'].join('/'));
    this.worker = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(__filename)});`, { eval: true });
    return this.worker;
  }

  /** Scans a file in the worker; a file that takes too long kills the worker (a fresh one takes the next). */
  run(file: string): Promise<Outcome | 'timeout' | { crashed: string }> {
    const worker = this.worker ?? this.start();
    return new Promise((resolve) => {
      const done = (v: Outcome | 'timeout' | { crashed: string }) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(v);
      };
      const onMessage = (o: Outcome) => done(o);
      const onError = (e: Error) => {
        this.worker = null;
        done({ crashed: e.stack ?? e.message });
      };
      const timer = setTimeout(() => {
        this.worker = null;
        void worker.terminate();
        done('timeout');
      }, this.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ file } satisfies Job);
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
  }
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  if (!Number.isFinite(v)) throw new Error(`${name} needs a number`);
  return v;
}

/** Runs the CLI (from source) over one folder of variants: exit 0 and a JSON report listing each file. */
function runCli(dir: string, count: number, timeoutMs: number): string | null {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/cli/main.ts'), 'scan', dir, '--detector', 'lexical', '--format', 'json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) return `the CLI did not finish: ${r.error.message}`;
  if (r.status !== 0) return `the CLI exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  try {
    const report = JSON.parse(r.stdout) as { files: unknown[]; summary: { files: number } };
    if (report.summary.files !== count || report.files.length !== count) return `the CLI reported ${report.files.length} files of ${count}`;
  } catch (e) {
    return `the CLI printed no JSON report: ${(e as Error).message}`;
  }
  return null;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const seed = option(args, '--seed', 1);
  const perMutation = option(args, '--variants', 2);
  const timeoutMs = option(args, '--timeout-ms', 15000);
  const keep = args.includes('--keep');
  const cli = !args.includes('--no-cli');
  const inputs = args.filter((a) => !a.startsWith('--'));
  const files = collectFiles(inputs.length > 0 ? inputs : [path.join(repoRoot, 'examples'), path.join(repoRoot, 'test/fixtures/formats')]);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-lens-fuzz-'));
  const runner = new Runner(timeoutMs);
  const rand = rng(seed);
  let runs = 0;
  const failures: string[] = [];
  /** Problems of a known cause, left for now (listed, not failed). */
  const known: string[] = [];
  const started = Date.now();
  try {
    for (const [n, file] of files.entries()) {
      const original = fs.readFileSync(file);
      // the variants keep the file's name and its folder's (lm-eval and HELM read the model from it)
      const dir = path.join(work, String(n));
      const variants: Array<{ name: string; file: string }> = [];
      const write = (name: string, data: Buffer) => {
        const sub = path.join(dir, `${variants.length}`, path.basename(path.dirname(file)));
        fs.mkdirSync(sub, { recursive: true });
        const target = path.join(sub, path.basename(file));
        fs.writeFileSync(target, data);
        variants.push({ name, file: target });
      };
      write('original', original);
      for (const [name, mutate] of Object.entries(MUTATIONS)) for (let k = 0; k < perMutation; k++) write(name, mutate(original, rand));
      let responses = 0;
      let errors = 0;
      for (const v of variants) {
        runs++;
        const o = await runner.run(v.file);
        const where = `${path.relative(repoRoot, file)} [${v.name}]`;
        if (o === 'timeout') failures.push(`${where}: no result within ${timeoutMs} ms`);
        else if ('crashed' in o) failures.push(`${where}: the worker crashed: ${o.crashed}`);
        else {
          if (o.thrown) failures.push(`${where}: threw past the engine: ${o.thrown}`);
          // JSONL is split at LF only: a lone CR inside a line (a line break to an editor) shifts the places after it
          const loneCr = JSONL.test(file) && /\r(?!\n)/.test(fs.readFileSync(v.file, 'latin1'));
          for (const p of o.problems) (loneCr ? known : failures).push(`${where}: ${p}`);
          responses += o.responses;
          errors += o.errors;
        }
      }
      let cliProblem: string | null = null;
      // the variants share a file name: the CLI gets them as one folder of numbered subfolders
      // (a folder is walked for the extensions it scans; other files are named one by one only)
      const walked = SCANNED_EXTENSIONS.includes(path.extname(file).toLowerCase());
      if (cli && walked) cliProblem = runCli(dir, variants.length, timeoutMs * variants.length);
      if (cliProblem) failures.push(`${path.relative(repoRoot, file)}: ${cliProblem}`);
      console.log(`${path.relative(repoRoot, file)}: ${variants.length} variants, ${responses} responses, ${errors} errors${cli && walked ? (cliProblem ? ', CLI FAILED' : ', CLI ok') : ''}`);
    }
  } finally {
    await runner.stop();
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
    else console.log(`variants kept in ${work}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n${files.length} files, ${runs} scans (seed ${seed}) in ${seconds} s: ${failures.length === 0 ? 'no failures' : `${failures.length} failures`}`);
  if (known.length > 0) console.log(`${known.length} misplaced ranges after a lone CR in a JSONL line (known: JSONL lines are split at LF only)`);
  for (const f of failures.slice(0, 200)) console.log(`  FAIL ${f}`);
  return failures.length === 0 ? 0 : 1;
}

if (isMainThread) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

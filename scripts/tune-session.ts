#!/usr/bin/env node
// `node --import tsx scripts/tune-session.ts [--set NAME] [--texts N] [--rounds N] [--model DIR]`
// onnxruntime-node session options and batch sizes, measured the way the benchmark measures: each
// configuration in its own process, all taking turns on the same token batches, round after round
// (the order rotating), so that load from other work on the machine lands on all of them alike.
// Prints per configuration: median texts/s, CPU ms per text, the median of its per-round speed
// ratio to the first configuration of the set, load time and peak RSS. Sets: see SETS below.
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type * as ort from 'onnxruntime-node';
import { batchLimitsFor, type BatchLimits } from '../server/src/classify/model/batches';
import { DEFAULT_TUNING, sessionOptions } from '../server/src/classify/model/session';
import { ModelTokenizer } from '../server/src/classify/model/tokenizer';
import { FP32_FILE, QUANTIZED_FILE } from '../server/src/modelStore/modelFolder';
import { ensureInt8File } from '../server/src/modelStore/quantize/int8Record';
import { quantizeModel } from '../server/src/modelStore/quantize/quantizeModel';
import { loadCorpus } from './bench/corpus';
import type { TuneConfig } from './tune/tuneChild';
import { FULL_SIZE_DIR } from './testModel/writeTestModel';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'int8' },
    texts: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    threads: { type: 'string' },
    model: { type: 'string', default: FULL_SIZE_DIR },
  },
});
const threads = Number(values.threads ?? os.availableParallelism());
const modelDir = path.resolve(values.model!);
const fp32 = path.join(modelDir, FP32_FILE);
const int8 = path.join(modelDir, QUANTIZED_FILE);
// Spinning off as the base (the editor's setting, and the CLI's on a busy machine such as this one); 'spinning on' measures the other.
const base = sessionOptions({ ...DEFAULT_TUNING, threads });
/** A variant's batches: the detector's limits for the file's precision, with the variant's changes. */
const batch = (file: string, b: Partial<BatchLimits>): BatchLimits => ({ ...batchLimitsFor(file === fp32 ? 'fp32' : 'int8'), ...b });
type Variant = { name: string; file?: string; options?: ort.InferenceSession.SessionOptions; batch?: Partial<BatchLimits>; inputs?: TuneConfig['inputs'] };

/** Each set compares variants of the current defaults (the first entry) on one model. */
function sets(work: string): Record<string, { file: string; variants: Variant[] }> {
  const options = (file: string) => ({
    file,
    variants: [
      { name: 'defaults' },
      { name: 'spinning on', options: sessionOptions({ ...DEFAULT_TUNING, threads, spinning: true }) },
      { name: 'memory arena off', options: { ...base, enableCpuMemArena: false } },
      { name: 'memory pattern on', options: { ...base, enableMemPattern: true } },
      { name: 'optimisation basic', options: { ...base, graphOptimizationLevel: 'basic' as const } },
      { name: 'optimisation extended', options: { ...base, graphOptimizationLevel: 'extended' as const } },
      { name: 'parallel, 2 inter-op', options: { ...base, executionMode: 'parallel' as const, interOpNumThreads: 2 } },
      { name: '1 thread', options: { ...base, intraOpNumThreads: 1 } },
      { name: 'inputs built per run', inputs: 'per-run' as const },
    ],
  });
  const batches = (file: string) => ({
    file,
    variants: [
      { name: 'defaults' },
      { name: 'one text per run', batch: { maxRows: 1 } },
      { name: '512 tokens', batch: { maxTokens: 512 } },
      { name: '1024 tokens', batch: { maxTokens: 1024 } },
      { name: '2048 tokens', batch: { maxTokens: 2048 } },
      { name: '4096 tokens', batch: { maxTokens: 4096 } },
      { name: '8 rows', batch: { maxRows: 8 } },
    ],
  });
  return {
    int8: options(int8),
    fp32: options(fp32),
    'int8-batch': batches(int8),
    'fp32-batch': batches(fp32),
    pattern: {
      file: int8,
      variants: [
        { name: 'contrib DynamicQuantizeMatMul (ours)', file: path.join(work, 'contrib.onnx') },
        { name: 'standard ops, fused at load', file: path.join(work, 'onnx.onnx') },
        { name: 'per-tensor scales', file: path.join(work, 'per-tensor.onnx') },
        { name: 'float embeddings', file: path.join(work, 'float-embeddings.onnx') },
      ],
    },
  };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-tune-'));
  try {
    await ensureInt8File(modelDir);
    const set = sets(work)[values.set!];
    if (!set) throw new Error(`unknown set ${values.set} (${Object.keys(sets(work)).join(', ')})`);
    if (values.set === 'pattern') {
      await quantizeModel(fp32, path.join(work, 'contrib.onnx'));
      await quantizeModel(fp32, path.join(work, 'onnx.onnx'), { pattern: 'onnx' });
      await quantizeModel(fp32, path.join(work, 'per-tensor.onnx'), { granularity: 'per-tensor' });
      await quantizeModel(fp32, path.join(work, 'float-embeddings.onnx'), { embeddings: 'none' });
    }
    const tokenizer = await ModelTokenizer.load(modelDir);
    const corpus = loadCorpus(Number(values.texts));
    const ids = corpus.texts.map((t) => tokenizer.encode(t, 512));
    const meanTokens = ids.reduce((n, r) => n + r.length, 0) / ids.length;
    process.stderr.write(`tune ${values.set}: ${ids.length} texts (mean ${meanTokens.toFixed(1)} tokens), ${threads} threads, ${values.rounds} rounds, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
    const children = set.variants.map((v, i) => {
      const config: TuneConfig = { name: v.name, file: v.file ?? set.file, options: v.options ?? base, batch: batch(v.file ?? set.file, v.batch ?? {}), inputs: v.inputs ?? 'prebuilt' };
      const jobFile = path.join(work, `job-${i}.json`);
      fs.writeFileSync(jobFile, JSON.stringify({ config, ids, padId: tokenizer.padId }));
      return fork(path.join(__dirname, 'tune/tuneChild.ts'), [jobFile], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    });
    try {
      const load: number[] = [];
      for (const c of children) load.push((await ask(c, 'load')).seconds);
      const wall: number[][] = children.map(() => []);
      const cpu: number[][] = children.map(() => []);
      for (let r = 0; r < Number(values.rounds); r++) {
        for (let k = 0; k < children.length; k++) {
          const i = (r + k) % children.length;
          const reply = await ask(children[i], 'run');
          wall[i].push(reply.seconds);
          cpu[i].push(reply.cpuSeconds);
        }
        process.stderr.write(`  round ${r + 1}: ${wall.map((w) => w[r].toFixed(1)).join(' ')} s\n`);
      }
      const rss: number[] = [];
      for (const c of children) rss.push((await ask(c, 'finish')).peakRssMb);
      const n = ids.length;
      const rows = set.variants.map((v, i) => ({
        configuration: v.name,
        'texts/s': (n / median(wall[i])).toFixed(2),
        'CPU ms/text': ((median(cpu[i]) * 1000) / n).toFixed(1),
        'vs first (wall)': median(wall[i].map((w, r) => wall[0][r] / w)).toFixed(3),
        'vs first (CPU)': median(cpu[i].map((c, r) => cpu[0][r] / c)).toFixed(3),
        'load s': load[i].toFixed(2),
        'peak RSS MB': Math.round(rss[i]),
      }));
      printMarkdown(rows);
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill();
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function ask(child: ChildProcess, cmd: string): Promise<{ seconds: number; cpuSeconds: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a tuning process exited (code ${code})`));
    child.once('exit', onExit);
    child.once('message', (m: { seconds: number; cpuSeconds: number; peakRssMb: number }) => {
      child.off('exit', onExit);
      resolve(m);
    });
    child.send({ cmd });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function printMarkdown(rows: Record<string, string | number>[]): void {
  const keys = Object.keys(rows[0]);
  const lines = [`| ${keys.join(' | ')} |`, `| ${keys.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${keys.map((k) => r[k]).join(' | ')} |`)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`tune: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});

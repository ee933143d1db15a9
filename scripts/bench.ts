#!/usr/bin/env node
// `npm run bench [-- --quick | --texts N] [--json]`: the model detector's speed and memory, as ratios measured in one run.
// Sides (each its own process, taking turns slice by slice): `scan` end to end; the raw onnxruntime session on
// the same token batches; transformers.js's pipeline called once per text (the model card's quick start); and
// `scan` and the raw session again on the int8 model (quantized once beside the fp32 one).
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ModelTokenizer } from '../server/src/classify/model/tokenizer';
import { choosePrecision } from '../server/src/classify/model/int8Model';
import { cliPeakRss } from './bench/cliMemory';
import { loadCorpus, writeChatJsonl } from './bench/corpus';
import type { SideConfig } from './bench/sides';
import { FULL_SIZE_DIR, fullSizeModel } from './testModel/writeTestModel';

const root = path.resolve(__dirname, '..');
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    texts: { type: 'string' },
    slices: { type: 'string' },
    threads: { type: 'string' },
    model: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench -- [--quick | --texts N] [--slices N] [--threads N] [--model DIR] [--json]\n');
  process.exit(0);
}
const log = (s: string) => process.stderr.write(`${s}\n`);
const count = Number(values.texts ?? (values.quick ? 100 : 400));
const sliceCount = Number(values.slices ?? (values.quick ? 6 : 16));
const threads = Number(values.threads ?? os.availableParallelism());
const RESCAN_RESPONSES = 10_000;

type Reply = { seconds: number; cpuSeconds?: number; scores?: number[]; error?: string; responses?: number; inferred?: number; peakRssMb?: number };

async function main(): Promise<void> {
  const modelDir = values.model ? path.resolve(values.model) : fullSizeModel(() => log(`bench: generating the full-size test model into ${path.relative(root, FULL_SIZE_DIR)} (once; about 330 MB)`));
  const workerFile = path.join(root, 'dist/inferenceWorker.js');
  if (!fs.existsSync(workerFile)) throw new Error('dist/inferenceWorker.js is missing: run npm run build (npm run bench does)');

  const corpus = loadCorpus(count);
  const texts = corpus.texts;
  const tokenizer = await ModelTokenizer.load(modelDir);
  const meanTokens = texts.reduce((n, t) => n + tokenizer.encode(t, 512).length, 0) / texts.length;

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-bench-'));
  try {
    const per = Math.ceil(texts.length / sliceCount);
    const slices = Array.from({ length: Math.ceil(texts.length / per) }, (_, s) => {
      const part = texts.slice(s * per, (s + 1) * per);
      const file = path.join(work, `slice-${s}.jsonl`);
      writeChatJsonl(file, part);
      return { texts: part, file };
    });
    const rescanFile = path.join(work, 'rescan-10k.jsonl');
    writeChatJsonl(rescanFile, Array.from({ length: RESCAN_RESPONSES }, (_, i) => texts[i % texts.length]));
    const config: SideConfig = { modelDir, threads, slices, workerFile, rescanFile };
    const configFile = path.join(work, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config));

    log(`bench: ${texts.length} texts from ${corpus.source}, mean ${meanTokens.toFixed(1)} tokens, ${slices.length} slices, ${threads} threads, model ${path.relative(root, modelDir) || modelDir}`);
    // The int8 model, made and checked once (recorded beside the model), as the CLI would before using it.
    const int8Choice = await choosePrecision(modelDir, 'int8', {
      threads,
      workerFile,
      onStep: (st) => {
        if (st.step === 'quantized') log(`  quantized the model to int8 once: ${(st.result.bytes / 2 ** 20).toFixed(1)} MiB in ${st.result.seconds.toFixed(1)} s`);
        if (st.step === 'verified') log(`  checked it against fp32 once: ${st.verification.agreeing}/${st.verification.texts} labels agree`);
      },
    });
    if (int8Choice.used !== 'int8') throw new Error(`no int8 model to measure: ${int8Choice.reason}`);
    const int8 = int8Choice.record!;
    const sides = {
      scan: start('scan', configFile),
      raw: start('raw', configFile),
      pipeline: start('pipeline', configFile),
      'scan-int8': start('scan-int8', configFile),
      'raw-int8': start('raw-int8', configFile),
    };
    const names = Object.keys(sides) as (keyof typeof sides)[];
    try {
      const load: Record<string, number> = {};
      for (const n of names) load[n] = (await ask(sides[n], { cmd: 'load' })).seconds;
      log(`  loaded: ${names.map((n) => `${n} ${load[n].toFixed(1)} s`).join(', ')}`);
      const seconds: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
      const cpu: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
      let worstDiff = 0;
      let int8Worst = 0;
      let logitLo = Infinity;
      let logitHi = -Infinity;
      const sliceRatios: number[] = [];
      const int8Ratios: number[] = [];
      for (let s = 0; s < slices.length; s++) {
        const scores: Record<string, number[]> = {};
        const took: Record<string, number> = {};
        // The order rotates: no side always runs first (or right after another's memory traffic).
        for (let k = 0; k < names.length; k++) {
          const n = names[(s + k) % names.length];
          const r = await ask(sides[n], { cmd: 'run', slice: s });
          seconds[n] += took[n] = r.seconds;
          cpu[n] += r.cpuSeconds ?? NaN;
          scores[n] = r.scores ?? [];
        }
        sliceRatios.push(took.raw / took.scan);
        scores.scan.forEach((x, i) => (worstDiff = Math.max(worstDiff, Math.abs(x - scores.pipeline[i]))));
        // The raw sides return logits: int8 against fp32 on every text, and the fp32 logits' range.
        scores.raw.forEach((x, i) => {
          int8Worst = Math.max(int8Worst, Math.abs(x - scores['raw-int8'][i]));
          logitLo = Math.min(logitLo, x);
          logitHi = Math.max(logitHi, x);
        });
        int8Ratios.push(took.scan / took['scan-int8']);
        log(`  slice ${s + 1}/${slices.length} (${slices[s].texts.length} texts): ${names.map((n) => `${n} ${took[n].toFixed(1)} s`).join(', ')}`);
      }
      const rescan = await ask(sides.scan, { cmd: 'rescan' });
      if (rescan.inferred !== 0) throw new Error(`the re-scan ran the model on ${rescan.inferred} texts: the cache missed`);
      const rss: Record<string, number> = {};
      for (const n of names) rss[n] = (await ask(sides[n], { cmd: 'finish' })).peakRssMb ?? NaN;
      // Memory as users meet it: the bundled CLI on the longest texts (the widest batches make the peak), one process per precision.
      const longest = [...texts].sort((a, b) => b.length - a.length).slice(0, 48);
      const memoryFile = path.join(work, 'longest.jsonl');
      writeChatJsonl(memoryFile, longest);
      const cliRss: Record<string, number> = {};
      for (const precision of ['fp32', 'int8']) {
        const r = await cliPeakRss(path.join(root, 'dist/cli.js'), ['scan', memoryFile, '--model', modelDir, '--precision', precision, '--threads', String(threads), '--format', 'json', '-o', path.join(work, `out-${precision}.json`)]);
        cliRss[precision] = r.peakRssMb;
        log(`  CLI, ${precision}: peak RSS ${Math.round(r.peakRssMb)} MB (${longest.length} longest texts, ${r.seconds.toFixed(1)} s)`);
      }

      const perSecond = (n: string) => texts.length / seconds[n];
      const result = {
        e2e_texts_per_s: round(perSecond('scan'), 2),
        raw_session_texts_per_s: round(perSecond('raw'), 2),
        pipeline_per_text_texts_per_s: round(perSecond('pipeline'), 2),
        e2e_vs_raw_session: round(perSecond('scan') / perSecond('raw'), 3),
        e2e_vs_raw_session_median_slice: round(median(sliceRatios), 3),
        e2e_vs_raw_session_cpu: round(cpu.raw / cpu.scan, 3),
        cpu_ms_per_text: { scan: round((cpu.scan / texts.length) * 1000, 1), raw: round((cpu.raw / texts.length) * 1000, 1), pipeline: round((cpu.pipeline / texts.length) * 1000, 1) },
        e2e_vs_pipeline_per_text: round(perSecond('scan') / perSecond('pipeline'), 3),
        cached_rescan_10k_s: round(rescan.seconds, 3),
        model_load_s: round(load.scan, 2),
        peak_rss_mb: Math.round(rss.scan),
        raw_session_peak_rss_mb: Math.round(rss.raw),
        pipeline_peak_rss_mb: Math.round(rss.pipeline),
        texts: texts.length,
        mean_tokens: round(meanTokens, 1),
        threads,
        slices: slices.length,
        pipeline_max_score_diff: Number(worstDiff.toExponential(2)),
        int8_e2e_texts_per_s: round(perSecond('scan-int8'), 2),
        int8_raw_session_texts_per_s: round(perSecond('raw-int8'), 2),
        int8_vs_fp32_e2e: round(perSecond('scan-int8') / perSecond('scan'), 3),
        int8_vs_fp32_e2e_median_slice: round(median(int8Ratios), 3),
        int8_vs_fp32_e2e_cpu: round(cpu.scan / cpu['scan-int8'], 3),
        int8_cpu_ms_per_text: { scan: round((cpu['scan-int8'] / texts.length) * 1000, 1), raw: round((cpu['raw-int8'] / texts.length) * 1000, 1) },
        int8_model_load_s: round(load['scan-int8'], 2),
        int8_peak_rss_mb: Math.round(cliRss.int8),
        fp32_cli_peak_rss_mb: Math.round(cliRss.fp32),
        int8_vs_fp32_peak_rss: round(cliRss.int8 / cliRss.fp32, 3),
        int8_scan_side_peak_rss_mb: Math.round(rss['scan-int8']),
        int8_raw_session_peak_rss_mb: Math.round(rss['raw-int8']),
        int8_max_logit_diff: round(int8Worst, 4),
        fp32_logit_range: round(logitHi - logitLo, 3),
        int8_model_mb: round(int8.output.size / 2 ** 20, 1),
        corpus: corpus.source,
      };
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else printTable(result);
    } finally {
      for (const c of Object.values(sides)) if (c.exitCode === null) c.kill();
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function start(side: string, configFile: string): ChildProcess {
  return fork(path.join(__dirname, 'bench/benchChild.ts'), [side, configFile], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function ask(child: ChildProcess, message: object): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a benchmark process exited (code ${code})`));
    child.once('exit', onExit);
    child.once('message', (m: Reply) => {
      child.off('exit', onExit);
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    child.send(message);
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

function printTable(r: Record<string, unknown>): void {
  const check = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const lines = [
    `texts ${r.texts} (mean ${r.mean_tokens} tokens), ${r.threads} threads, ${r.slices} slices, corpus: ${r.corpus}`,
    `end-to-end scan            ${r.e2e_texts_per_s} texts/s`,
    `raw onnxruntime session    ${r.raw_session_texts_per_s} texts/s   e2e/raw = ${r.e2e_vs_raw_session} (median slice ${r.e2e_vs_raw_session_median_slice}, CPU time ${r.e2e_vs_raw_session_cpu})  (target >= 0.9: ${check(Number(r.e2e_vs_raw_session) >= 0.9)})`,
    `pipeline, one text a call  ${r.pipeline_per_text_texts_per_s} texts/s   e2e/pipeline = ${r.e2e_vs_pipeline_per_text}  (target >= 1: ${check(Number(r.e2e_vs_pipeline_per_text) >= 1)})`,
    `cached re-scan, 10k        ${r.cached_rescan_10k_s} s  (target < 1 s: ${check(Number(r.cached_rescan_10k_s) < 1)})`,
    `model load                 ${r.model_load_s} s`,
    `peak RSS, scan process     ${r.peak_rss_mb} MB  (target < 1536: ${check(Number(r.peak_rss_mb) < 1536)}); raw session ${r.raw_session_peak_rss_mb} MB, pipeline ${r.pipeline_peak_rss_mb} MB`,
    `scan vs pipeline scores    max difference ${r.pipeline_max_score_diff}`,
    `int8 end-to-end scan       ${r.int8_e2e_texts_per_s} texts/s   int8/fp32 = ${r.int8_vs_fp32_e2e} (median slice ${r.int8_vs_fp32_e2e_median_slice}, CPU time ${r.int8_vs_fp32_e2e_cpu})  (target >= 2.2: ${check(Number(r.int8_vs_fp32_e2e) >= 2.2)})`,
    `int8 raw session           ${r.int8_raw_session_texts_per_s} texts/s`,
    `int8 model load            ${r.int8_model_load_s} s  (model file ${r.int8_model_mb} MiB)`,
    `int8 peak RSS, CLI         ${r.int8_peak_rss_mb} MB  = ${r.int8_vs_fp32_peak_rss} of fp32's ${r.fp32_cli_peak_rss_mb} MB  (target <= 0.5: ${check(Number(r.int8_vs_fp32_peak_rss) <= 0.5)}); in the benchmark's processes: scan ${r.int8_scan_side_peak_rss_mb} MB, raw session ${r.int8_raw_session_peak_rss_mb} MB`,
    `int8 vs fp32 logits        max difference ${r.int8_max_logit_diff} over a range of ${r.fp32_logit_range} (bound 15%: ${check(Number(r.int8_max_logit_diff) <= 0.15 * Number(r.fp32_logit_range))})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e) => {
  log(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});

import { peakRssMb } from '../peakRss';
import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { planBatches, type BatchLimits } from '../../server/src/classify/model/batches';
import { sessionInputs } from '../../server/src/classify/model/session';

/**
 * One session configuration of scripts/tune-session.ts in a process of its own (its threads,
 * arena and peak RSS are its own), driven over IPC so that the configurations take turns.
 */

export interface TuneConfig {
  name: string;
  /** The ONNX file to run. */
  file: string;
  options: ort.InferenceSession.SessionOptions;
  batch: BatchLimits;
  /** prebuilt: tensors made once, only session.run timed; per-run: made for every batch, as the engine does. */
  inputs: 'prebuilt' | 'per-run';
}

interface Job {
  config: TuneConfig;
  /** Token ids of every text (special tokens included). */
  ids: number[][];
  padId: number;
}

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Job;
const { config, ids, padId } = job;
const batches = planBatches(ids.map((r) => r.length), config.batch).map((b) => b.map((i) => ids[i]));
const feeds = (rows: number[][]) => sessionInputs(rows, padId);
let session: ort.InferenceSession;
let prebuilt: ReturnType<typeof feeds>[] = [];

process.on('message', async (m: { cmd: 'load' | 'run' | 'finish' }) => {
  const t0 = performance.now();
  if (m.cmd === 'load') {
    session = await ort.InferenceSession.create(config.file, config.options);
    const seconds = (performance.now() - t0) / 1000;
    if (config.inputs === 'prebuilt') prebuilt = batches.map(feeds);
    for (const rows of batches.slice(0, 3)) await session.run(feeds(rows));
    process.send!({ seconds, runs: batches.length });
  } else if (m.cmd === 'run') {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < batches.length; i++) await session.run(config.inputs === 'prebuilt' ? prebuilt[i] : feeds(batches[i]));
    const cpu = process.cpuUsage(cpu0);
    process.send!({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } else {
    process.send!({ peakRssMb: peakRssMb() });
    process.exit(0);
  }
});

import { parentPort, workerData } from 'node:worker_threads';
import { CancelledRun, InferenceEngine } from './inferenceEngine';
import type { ClassifyRequest, FromWorker, WorkerData } from './workerProtocol';

/**
 * The inference worker (bundled as dist/inferenceWorker.js): loads the model once, then answers
 * classify requests one at a time, in order. Cancelled requests stop between batches.
 */

const port = parentPort;
if (!port) throw new Error('inferenceWorker runs as a worker thread');
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

const queue: ClassifyRequest[] = [];
let engine: InferenceEngine | null = null;
let running = false;

async function main(): Promise<void> {
  const { model, options } = workerData as WorkerData;
  const t0 = performance.now();
  try {
    engine = await InferenceEngine.load(model, options);
  } catch (e) {
    post({ type: 'load-failed', message: (e as Error).message ?? String(e) });
    return;
  }
  const { labels, rejectionIndex, maxTokens } = engine.config;
  post({ type: 'loaded', info: { labels, rejectionIndex, maxTokens, loadMs: performance.now() - t0 } });
  void drain();
}

async function drain(): Promise<void> {
  if (running || !engine) return;
  running = true;
  try {
    for (let req = queue.shift(); req; req = queue.shift()) await answer(engine, req);
  } finally {
    running = false;
  }
}

async function answer(e: InferenceEngine, req: ClassifyRequest): Promise<void> {
  const flag = new Int32Array(req.cancel);
  const cancelled = () => Atomics.load(flag, 0) !== 0;
  try {
    if (cancelled()) throw new CancelledRun();
    const results = await e.classify(req.texts, req.mode, req.maxTokens, { cancelled, progress: (done) => post({ type: 'progress', id: req.id, done, runs: e.session.runs }) });
    const scores = new Float64Array(results.length);
    const starts = new Int32Array(results.length).fill(-1);
    const ends = new Int32Array(results.length).fill(-1);
    results.forEach((r, i) => {
      scores[i] = r.score;
      if (r.sentence) {
        starts[i] = r.sentence.start;
        ends[i] = r.sentence.end;
      }
    });
    post({ type: 'done', id: req.id, scores, starts, ends, runs: e.session.runs }, [scores.buffer, starts.buffer, ends.buffer]);
  } catch (err) {
    if (err instanceof CancelledRun) post({ type: 'cancelled', id: req.id, runs: e.session.runs });
    else post({ type: 'failed', id: req.id, message: (err as Error).message ?? String(err) });
  }
}

port.on('message', (req: ClassifyRequest) => {
  queue.push(req);
  void drain();
});

void main();

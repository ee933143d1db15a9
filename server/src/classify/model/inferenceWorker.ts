import { parentPort, workerData } from 'node:worker_threads';
import { CancelledRun, InferenceEngine } from './inferenceEngine';
import type { ClassifyRequest, FromWorker, ToWorker, WorkerData } from './workerProtocol';

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
/** Set by a stop request: the exit code to leave with at the next safe point. */
let stopCode: number | null = null;

async function main(): Promise<void> {
  const { model, options } = workerData as WorkerData;
  const t0 = performance.now();
  try {
    engine = await InferenceEngine.load(model, options);
  } catch (e) {
    post({ type: 'load-failed', message: (e as Error).message ?? String(e) });
    process.exit(2);
  }
  if (stopCode !== null) return stop();
  const { labels, rejectionIndex, maxTokens } = engine.config;
  post({ type: 'loaded', info: { labels, rejectionIndex, maxTokens, loadMs: performance.now() - t0 } });
  void drain();
}

async function drain(): Promise<void> {
  if (running || !engine) return;
  running = true;
  try {
    for (let req = queue.shift(); req && stopCode === null; req = queue.shift()) await answer(engine, req);
  } finally {
    running = false;
  }
  if (stopCode !== null) await stop();
}

/** Leaves between runs: the session is released (unless the stop is a crash), then the thread exits. */
async function stop(): Promise<void> {
  const code = stopCode ?? 0;
  if (code === 0) await engine?.release().catch(() => undefined);
  process.exit(code);
}

async function answer(e: InferenceEngine, req: ClassifyRequest): Promise<void> {
  const flag = new Int32Array(req.cancel);
  const cancelled = () => stopCode !== null || Atomics.load(flag, 0) !== 0;
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
    // Stopping: the main thread settles every request when the thread exits.
    if (stopCode !== null) return;
    if (err instanceof CancelledRun) post({ type: 'cancelled', id: req.id, runs: e.session.runs });
    else post({ type: 'failed', id: req.id, message: (err as Error).message ?? String(err) });
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    stopCode = m.code;
    // Idle and loaded: nothing runs, leave now. Running or loading: the loop leaves at its next check.
    if (!running && engine) void stop();
    return;
  }
  queue.push(m);
  void drain();
});

void main();

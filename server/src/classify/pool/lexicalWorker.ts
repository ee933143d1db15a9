import { parentPort } from 'node:worker_threads';
import { LexicalDetector } from '../lexical/lexicalDetector';
import type { PoolReply, PoolRequest } from './poolProtocol';

/**
 * A lexical detector in a worker thread (bundled as dist/lexicalWorker.js): the detector is
 * CPU-bound JavaScript, so a scan uses every core by running several of these (pool/lexicalPool.ts).
 */
const port = parentPort;
if (!port) throw new Error('lexicalWorker runs as a worker thread');
const detector = new LexicalDetector();

port.on('message', async (req: PoolRequest) => {
  try {
    const results = await detector.classify(req.texts);
    const scores = new Float64Array(results.length);
    const starts = new Int32Array(results.length);
    const ends = new Int32Array(results.length);
    results.forEach((r, i) => {
      scores[i] = r.score;
      starts[i] = r.sentence ? r.sentence.start : -1;
      ends[i] = r.sentence ? r.sentence.end : -1;
    });
    const reply: PoolReply = { id: req.id, scores, starts, ends };
    port.postMessage(reply, [scores.buffer, starts.buffer, ends.buffer]);
  } catch (e) {
    const reply: PoolReply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});

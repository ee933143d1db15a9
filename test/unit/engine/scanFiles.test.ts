import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { CancelledError, throwIfCancelled, type Classification, type ClassifyOptions, type Detector } from '../../../server/src/classify/detector';
import { LexicalDetector } from '../../../server/src/classify/lexical/lexicalDetector';
import { defaultExtractSettings } from '../../../server/src/engine/extract';
import { scanFile, type ScanObserver, type ScanSettings } from '../../../server/src/engine/scan';
import { scanFiles } from '../../../server/src/engine/scanFiles';
import { SummaryBuilder } from '../../../server/src/engine/summary';
import { JsonReport } from '../../../server/src/reports/jsonReport';
import { Output } from '../../../server/src/reports/output';

const root = path.resolve(__dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-scanfiles-'));
const settings: ScanSettings = { ...defaultExtractSettings, maxFileBytes: 1 << 30, threshold: 0.5, chunkSize: 16, streamJsonAbove: 0 };

function write(name: string, data: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

const line = (i: number, text: string) => JSON.stringify({ model: `m${i % 2}`, messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: text }] });

/** Files of every kind and size: big and small, streamed JSON, broken, empty, missing. */
function corpus(): string[] {
  const answers = ["I'm sorry, but I can't help with that.", 'Sure: here is how to bake bread.', 'I cannot assist with that request.', 'The capital of France is Paris.'];
  const big = write('big.jsonl', Array.from({ length: 900 }, (_, i) => line(i, answers[i % 4])).join('\n'));
  const array = write('array.json', JSON.stringify(Array.from({ length: 300 }, (_, i) => JSON.parse(line(i, answers[(i + 1) % 4]))), null, 2));
  const broken = write('broken.jsonl', [line(1, answers[0]), '{"messages": [oops', line(2, answers[1])].join('\n'));
  const empty = write('empty.json', '');
  const small = write('small.jsonl', line(0, answers[2]));
  const examples = fs.readdirSync(path.join(root, 'examples')).map((f) => path.join(root, 'examples', f));
  return [big, small, ...examples, array, broken, empty, path.join(dir, 'missing.json'), small];
}

/** A JSON report, as the CLI writes it, of the observer's events. */
function jsonReportObserver(): { observer: ScanObserver; text: () => string; finish: () => Promise<void> } {
  let text = '';
  const out = new Output(new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }));
  const report = new JsonReport(out, (p) => path.basename(p));
  const summary = new SummaryBuilder();
  return {
    observer: {
      fileStarted: (p) => (summary.addFile(), report.fileStarted(p)),
      verdicts: (p, v) => (summary.addVerdicts(v), report.verdicts(p, v)),
      errors: (p, e) => (summary.addErrors(e), report.errors(p, e)),
      fileDone: (p, f) => report.fileDone(p, f),
      flush: () => report.flush(),
    },
    text: () => text,
    finish: async () => {
      report.finish(summary.build());
      await report.flush();
    },
  };
}

/** The lexical detector, answering after a random delay (so that files finish out of order). */
class SlowDetector implements Detector {
  readonly kind = 'lexical' as const;
  readonly name = 'lexical';
  classified = 0;
  private readonly inner = new LexicalDetector();
  private seed = 7;
  async classify(texts: readonly string[], options: ClassifyOptions = {}): Promise<Classification[]> {
    this.seed = (this.seed * 48271) % 2147483647;
    await new Promise((r) => setTimeout(r, this.seed % 7));
    throwIfCancelled(options.signal);
    this.classified += texts.length;
    return this.inner.classify(texts, options);
  }
  async dispose(): Promise<void> {}
}

async function sequential(files: string[]): Promise<string> {
  const r = jsonReportObserver();
  for (const f of files) await scanFile(f, new LexicalDetector(), settings, r.observer);
  await r.finish();
  return r.text();
}

test('several files at once: the same JSON report as one after another, files in input order', async () => {
  const files = corpus();
  const expected = await sequential(files);
  const parsed = JSON.parse(expected) as { files: Array<{ path: string; responses: unknown[] }> };
  assert.deepEqual(parsed.files.map((f) => f.path), files.map((f) => path.basename(f)));
  assert.ok(parsed.files[0].responses.length === 900);
  for (const concurrency of [2, 3, 8]) {
    for (const maxBufferedResponses of [1, 64, 100000]) {
      const r = jsonReportObserver();
      await scanFiles(files, new SlowDetector(), settings, r.observer, { concurrency, maxBufferedResponses });
      await r.finish();
      assert.equal(r.text(), expected, `concurrency ${concurrency}, buffer ${maxBufferedResponses}`);
    }
  }
});

test('a file waiting for its turn holds a bounded number of responses, then its scan pauses', async () => {
  const first = write('first.jsonl', Array.from({ length: 64 }, (_, i) => line(i, 'one')).join('\n'));
  const second = write('second.jsonl', Array.from({ length: 2000 }, (_, i) => line(i, 'two')).join('\n'));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const detector = new SlowDetector();
  let firstFlushes = 0;
  const observer: ScanObserver = {
    // the report of the first file cannot drain: the second must stop reading and classifying
    flush: async () => {
      if (++firstFlushes === 1) await gate;
    },
  };
  const limit = 100;
  const scan = scanFiles([first, second], detector, { ...settings, chunkSize: 16 }, observer, { concurrency: 2, maxBufferedResponses: limit });
  await new Promise((r) => setTimeout(r, 300));
  // first file: 64; second: at most the limit plus the chunk that crossed it and two read ahead
  const bound = 64 + limit + 3 * 32;
  assert.ok(detector.classified <= bound, `${detector.classified} responses classified while the first file's report was blocked (bound ${bound})`);
  release();
  await scan;
  assert.equal(detector.classified, 2064);
});

test('cancelling stops every file being scanned, and rejects with CancelledError', async () => {
  const files = corpus();
  const controller = new AbortController();
  const detector = new SlowDetector();
  const r = jsonReportObserver();
  const scan = scanFiles(files, detector, settings, r.observer, { concurrency: 3 }, controller.signal);
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(scan, CancelledError);
  const after = detector.classified;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(detector.classified, after, 'nothing classified after the scan rejected');
});

test('a detector that fails stops the other files and its error is the one thrown', async () => {
  const files = corpus();
  const failing: Detector = {
    kind: 'lexical',
    name: 'lexical',
    classify: async (texts, options) => {
      if (texts.some((t) => t.includes('Paris'))) throw new Error('detector died');
      await new Promise((r) => setTimeout(r, 2));
      throwIfCancelled(options?.signal);
      return texts.map(() => ({ score: 0, sentence: null }));
    },
    dispose: async () => undefined,
  };
  await assert.rejects(scanFiles(files, failing, settings, {}, { concurrency: 3 }), /detector died/);
});

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeTestModel } from '../../scripts/testModel/writeTestModel';

/**
 * A local stand-in for the Hugging Face hub, in its URL layout, for download tests:
 *   GET /api/models/<repo>/revision/<rev>      -> {id, sha}
 *   GET /api/models/<repo>/tree/<rev>/<folder>  -> [{type, path, size, oid, lfs?: {oid, size, pointerSize}}]
 *   GET /<repo>/resolve/<rev>/<path>            -> the bytes (Range honoured), or for a Git LFS
 *                                                  file a 302 to a CDN server when one is set
 *   GET /cdn/<sha256>                           -> a CDN's answer for a blob (Range honoured)
 * Faults can be switched on per test; every request is logged.
 */

export interface ServerFaults {
  /** the first `times` GETs of `path` send `afterBytes` bytes of the body, then the connection
   * drops (or, with `stall`, stays open and silent) */
  drop?: { path: string; afterBytes: number; times: number; stall?: boolean };
  /** these hub paths answer with this status */
  status?: Record<string, number>;
  /** serve these bytes instead (the API still lists the original's size and checksum) */
  corrupt?: Record<string, Buffer>;
  /** send `path` slowly: `bytes` every `everyMs` */
  slow?: { path: string; bytes: number; everyMs: number };
  /** accept connections, never answer */
  silent?: boolean;
}

export interface LoggedRequest {
  method: string;
  url: string;
  /** the hub path a file request was for (resolve or CDN), else null */
  file: string | null;
  range: string | null;
}

interface Blob {
  path: string;
  content: Buffer;
  lfs: boolean;
  sha256: string;
}

export interface ModelServerOptions {
  repo: string;
  commit: string;
  /** branch or tag -> commit */
  refs?: Record<string, string>;
  /** hub path -> content */
  files: Record<string, Buffer>;
  /** which files are Git LFS files (default: *.onnx) */
  isLfs?: (hubPath: string) => boolean;
}

export class ModelServer {
  readonly requests: LoggedRequest[] = [];
  faults: ServerFaults = {};
  /** where LFS files redirect to (another ModelServer's url), or null to serve them here */
  cdn: string | null = null;
  private readonly blobs = new Map<string, Blob>();
  private readonly bySha = new Map<string, Blob>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private dropped = 0;
  url = '';

  constructor(private readonly options: ModelServerOptions) {
    const isLfs = options.isLfs ?? ((p: string) => p.endsWith('.onnx'));
    for (const [p, content] of Object.entries(options.files)) {
      const blob = { path: p, content, lfs: isLfs(p), sha256: sha256(content) };
      this.blobs.set(p, blob);
      this.bySha.set(blob.sha256, blob);
    }
  }

  /** The blobs a CDN server should hold: give it the hub's files. */
  static cdnFor(hub: ModelServer): ModelServer {
    return new ModelServer({ ...hub.options });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  fileRequests(hubPath: string): LoggedRequest[] {
    return this.requests.filter((r) => r.file === hubPath);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = decodeURIComponent(url.pathname);
    const { repo } = this.options;
    let file: string | null = null;
    const log = () => this.requests.push({ method: req.method ?? '', url: req.url ?? '', file, range: req.headers.range ?? null });
    if (this.faults.silent) {
      log();
      return;
    }
    const revisionPrefix = `/api/models/${repo}/revision/`;
    const treePrefix = `/api/models/${repo}/tree/`;
    const resolvePrefix = `/${repo}/resolve/`;
    if (p.startsWith(revisionPrefix)) {
      log();
      const commit = this.commitOf(p.slice(revisionPrefix.length));
      if (!commit) return json(res, 404, { error: 'Revision Not Found' });
      return json(res, 200, { id: repo, sha: commit, siblings: [...this.blobs.keys()].map((rfilename) => ({ rfilename })) });
    }
    if (p.startsWith(treePrefix)) {
      log();
      const rest = p.slice(treePrefix.length);
      const slash = rest.indexOf('/');
      const commit = this.commitOf(slash < 0 ? rest : rest.slice(0, slash));
      const folder = slash < 0 ? '' : rest.slice(slash + 1);
      if (!commit) return json(res, 404, { error: 'Revision Not Found' });
      const entries = [...this.blobs.values()].filter((b) => b.path.startsWith(`${folder}/`) && !b.path.slice(folder.length + 1).includes('/'));
      if (entries.length === 0) return json(res, 404, { error: 'Entry not found' });
      return json(res, 200, entries.map(treeEntry));
    }
    if (p.startsWith(resolvePrefix)) {
      const rest = p.slice(resolvePrefix.length);
      const slash = rest.indexOf('/');
      file = rest.slice(slash + 1);
      log();
      const commit = this.commitOf(rest.slice(0, slash));
      const blob = this.blobs.get(file);
      const status = this.faults.status?.[file];
      if (status) return json(res, status, { error: `status ${status} (test fault)` });
      if (!commit || !blob) return json(res, 404, { error: 'Entry not found' });
      const headers: http.OutgoingHttpHeaders = { 'x-repo-commit': commit };
      if (blob.lfs && this.cdn) {
        res.writeHead(302, { ...headers, location: `${this.cdn}/cdn/${blob.sha256}?expires=1`, 'x-linked-etag': `"${blob.sha256}"`, 'x-linked-size': String(blob.content.length) });
        res.end();
        return;
      }
      return this.sendBytes(req, res, blob, { ...headers, etag: `"${blob.lfs ? blob.sha256 : gitBlobSha1(blob.content)}"` });
    }
    if (p.startsWith('/cdn/')) {
      const blob = this.bySha.get(p.slice('/cdn/'.length));
      file = blob?.path ?? null;
      log();
      if (!blob) return json(res, 404, { error: 'NoSuchKey' });
      const status = this.faults.status?.[blob.path];
      if (status) return json(res, status, { error: `status ${status} (test fault)` });
      return this.sendBytes(req, res, blob, { etag: `"${blob.sha256}"` });
    }
    log();
    json(res, 404, { error: 'not found' });
  }

  private commitOf(rev: string): string | null {
    if (rev === this.options.commit) return rev;
    return this.options.refs?.[rev] ?? null;
  }

  private sendBytes(req: http.IncomingMessage, res: http.ServerResponse, blob: Blob, headers: http.OutgoingHttpHeaders): void {
    const content = this.faults.corrupt?.[blob.path] ?? blob.content;
    const total = content.length;
    let start = 0;
    let end = total - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), total - 1) : total - 1;
      if (start >= total) {
        res.writeHead(416, { 'content-range': `bytes */${total}` });
        res.end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${total}`;
    }
    const body = content.subarray(start, end + 1);
    res.writeHead(status, { ...headers, 'accept-ranges': 'bytes', 'content-length': body.length, 'content-type': 'application/octet-stream' });

    const drop = this.faults.drop;
    if (drop && drop.path === blob.path && this.dropped < drop.times) {
      this.dropped++;
      res.write(body.subarray(0, Math.min(drop.afterBytes, body.length)));
      // give the client time to receive and store those bytes, then cut the connection
      if (!drop.stall) setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    const slow = this.faults.slow;
    if (slow && slow.path === blob.path) {
      let offset = 0;
      const timer = setInterval(() => {
        if (offset >= body.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(body.subarray(offset, offset + slow.bytes));
        offset += slow.bytes;
      }, slow.everyMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.end(body);
  }
}

function treeEntry(b: Blob): Record<string, unknown> {
  if (!b.lfs) return { type: 'file', oid: gitBlobSha1(b.content), size: b.content.length, path: b.path };
  const pointer = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${b.sha256}\nsize ${b.content.length}\n`);
  return { type: 'file', oid: gitBlobSha1(pointer), size: b.content.length, path: b.path, lfs: { oid: b.sha256, size: b.content.length, pointerSize: pointer.length } };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function gitBlobSha1(b: Buffer): string {
  return createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
}

/** Deterministic bytes standing in for a model.onnx (what the tests verify is bytes and checksums). */
export function pseudoRandomBytes(n: number, seed = 1): Buffer {
  const out = Buffer.alloc(n);
  let block = createHash('sha256').update(`seed ${seed}`).digest();
  for (let i = 0; i < n; i += block.length) {
    block.copy(out, i, 0, Math.min(block.length, n - i));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** The hub's onnx/ folder of a model, with small files of known content. */
export function hubModelFiles(modelBytes = 1_500_000): Record<string, Buffer> {
  const config = { architectures: ['RobertaForSequenceClassification'], model_type: 'roberta', id2label: { 0: 'NORMAL', 1: 'REJECTION' }, label2id: { NORMAL: 0, REJECTION: 1 }, pad_token_id: 1 };
  return {
    'onnx/config.json': Buffer.from(JSON.stringify(config, null, 2)),
    'onnx/tokenizer.json': Buffer.from(JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: { '<s>': 0, '<pad>': 1, '</s>': 2 } } })),
    'onnx/tokenizer_config.json': Buffer.from(JSON.stringify({ model_max_length: 512, tokenizer_class: 'RobertaTokenizer' })),
    'onnx/special_tokens_map.json': Buffer.from(JSON.stringify({ bos_token: '<s>', eos_token: '</s>', pad_token: '<pad>' })),
    'onnx/vocab.json': Buffer.from(JSON.stringify({ '<s>': 0, '<pad>': 1, '</s>': 2 })),
    'onnx/merges.txt': Buffer.from('#version: 0.2\n'),
    'onnx/model.onnx': pseudoRandomBytes(modelBytes),
  };
}

/** A local model folder (Hugging Face layout) as the hub's onnx/ folder holds it: everything flat. */
export function hubFilesFromFolder(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const sub of ['', 'onnx']) {
    const at = path.join(dir, sub);
    if (!fs.existsSync(at)) continue;
    for (const e of fs.readdirSync(at, { withFileTypes: true })) {
      if (e.isFile() && !e.name.startsWith('.')) files[`onnx/${e.name}`] = fs.readFileSync(path.join(at, e.name));
    }
  }
  return files;
}

/** What the test hub serves: a real model folder, the tiny RoBERTa ONNX model the project generates. */
export async function testHubFiles(): Promise<{ files: Record<string, Buffer> }> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'refusal-lens-hub-model-'));
  try {
    writeTestModel({ preset: 'tiny', out, seed: 7, tokenizer: 'generated' });
    return { files: hubFilesFromFolder(out) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

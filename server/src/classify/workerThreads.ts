import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The engine's worker threads (the inference worker, the lexical pool's workers) are bundled as
 * dist/<name>.js and run from their TypeScript source in tests and under tsx: both found and
 * started the same way here.
 */

/**
 * Where worker `name` is: dist/<name>.js beside the bundle running the caller (`callerDir` is its
 * __dirname), else the TypeScript source beside the caller; with `candidates`, every place looked at.
 */
export function findWorkerEntry(callerDir: string, name: string): { found: string | null; candidates: string[] } {
  const candidates = [path.join(callerDir, `${name}.js`), path.join(callerDir, '..', `${name}.js`), path.join(callerDir, `${name}.ts`)];
  return { found: candidates.find((f) => fs.existsSync(f)) ?? null, candidates };
}

/** Starts a worker on a bundled entry, or on a TypeScript one through tsx's require hook. */
export function startWorker(file: string, options: WorkerOptions): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, options);
  return new Worker(`require(${JSON.stringify(tsxRegister())}); require(${JSON.stringify(file)});`, { ...options, eval: true });
}

/** tsx's CommonJS hook, resolved from here (the name is built so bundlers leave it alone). */
function tsxRegister(): string {
  const name = ['tsx', 'cjs'].join('/');
  return require.resolve(name);
}

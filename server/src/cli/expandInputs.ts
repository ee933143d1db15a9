import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Turns the CLI's inputs (files, folders, globs) into files. Folders are walked for files of the
 * extensions the formats read; globs support `*`, `**`, `?` and `{a,b}`. Named files are taken
 * whatever their extension.
 */

export const SCANNED_EXTENSIONS = ['.json', '.jsonl', '.ndjson', '.jsonlines', '.eval', '.md', '.markdown', '.csv', '.tsv'];
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.vscode-test', '.hg', '.svn']);

export interface Expanded {
  files: string[];
  /** Inputs that matched nothing, for one clear message each. */
  missing: string[];
}

export function expandInputs(inputs: readonly string[], cwd = process.cwd()): Expanded {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const input of inputs) {
    if (isGlob(input)) {
      const matched = expandGlob(input, cwd);
      if (matched.length === 0) missing.push(input);
      for (const f of matched) files.add(f);
      continue;
    }
    const abs = path.resolve(cwd, input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(input);
      continue;
    }
    if (st.isDirectory()) for (const f of walk(abs)) files.add(f);
    else files.add(abs);
  }
  return { files: [...files], missing };
}

function isGlob(s: string): boolean {
  return /[*?{[]/.test(s);
}

/** Every file below `dir` (sorted, skipping VCS and dependency folders), with its path relative to `dir`. */
function* filesUnder(dir: string, rel = ''): Generator<{ path: string; rel: string }> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) yield* filesUnder(p, r);
    } else if (e.isFile()) yield { path: p, rel: r };
  }
}

function* walk(dir: string): Generator<string> {
  for (const f of filesUnder(dir)) if (SCANNED_EXTENSIONS.includes(path.extname(f.path).toLowerCase())) yield f.path;
}

function expandGlob(pattern: string, cwd: string): string[] {
  const abs = path.isAbsolute(pattern) ? pattern : path.join(cwd, pattern);
  const parts = abs.split(/[\\/]+/);
  const fixed: string[] = [];
  while (parts.length > 1 && !isGlob(parts[0])) fixed.push(parts.shift()!);
  const re = globToRegExp(parts.join('/'));
  return [...filesUnder(fixed.join('/') || '/')].filter((f) => re.test(f.rel)).map((f) => f.path);
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${glob.slice(i + 1, close).split(',').map(escapeRe).join('|')})`;
        i = close;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.+^$()|[\]\\{}*?]/g, '\\$&');
}

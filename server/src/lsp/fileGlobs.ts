import { formatByName } from '../formats/registry';

/**
 * `refusalLens.files`: globs that name the format of files detection would not claim.
 * Globs are matched against the path relative to each workspace folder, and the absolute path
 * (forward slashes): `*` within a segment, `**` across segments, `?`, `{a,b}`, `[abc]`.
 */
export function formatForPath(files: Record<string, string[]>, absolutePath: string, workspaceFolders: readonly string[]): string | null {
  const abs = absolutePath.replace(/\\/g, '/');
  const candidates = [abs];
  for (const folder of workspaceFolders) {
    const root = folder.replace(/\\/g, '/').replace(/\/$/, '');
    if (abs.startsWith(`${root}/`)) candidates.push(abs.slice(root.length + 1));
  }
  for (const [format, globs] of Object.entries(files)) {
    if (!formatByName(format)) continue;
    for (const glob of globs) {
      const re = globRegExp(glob);
      if (candidates.some((c) => re.test(c))) return format;
    }
  }
  return null;
}

const compiled = new Map<string, RegExp>();

export function globRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (!re) {
    re = new RegExp(`^${translate(glob.replace(/\\/g, '/'))}$`);
    compiled.set(glob, re);
  }
  return re;
}

function translate(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      out += slashAfter ? '(?:[^/]*/)*' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, close).split(',').map(translate).join('|')})`;
        i = close;
      }
    } else if (c === '[') {
      const close = glob.indexOf(']', i);
      if (close < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return out;
}

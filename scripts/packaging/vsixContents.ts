import type { PackageTarget } from './targets';
import type { ZipEntry } from './zipListing';

/**
 * What a .vsix for one target may hold: the manifest and its documents, the esbuild bundles, and
 * onnxruntime-node's JavaScript plus that target's native binaries. Anything else is a packaging
 * mistake (another platform's binaries, sources, tests, code-server's scratch dir, source maps).
 */
export function allowedPatterns(t: PackageTarget): RegExp[] {
  return [
    /^\[Content_Types\]\.xml$/,
    /^extension\.vsixmanifest$/,
    /^extension\/package\.json$/,
    /^extension\/(readme|changelog)\.md$/i, // vsce stores them lower-case
    /^extension\/LICENSE(\.txt|\.md)?$/,
    /^extension\/media\/icon\.png$/,
    /^extension\/dist\/[\w.-]+\.(js|css)$/,
    /^extension\/node_modules\/onnxruntime-(node|common)\/package\.json$/,
    /^extension\/node_modules\/onnxruntime-node\/dist\/[\w.-]+\.js$/,
    /^extension\/node_modules\/onnxruntime-common\/dist\/cjs\/[\w./-]+\.js$/,
    /^extension\/node_modules\/onnxruntime-common\/dist\/cjs\/package\.json$/,
    new RegExp(`^extension/node_modules/onnxruntime-node/bin/napi-v\\d+/${t.os}/${t.arch}/[\\w.-]+$`),
  ];
}

/** Entries every package must have, else the extension cannot start (or cannot load the model); `*` = any one path part. */
export function requiredEntries(t: PackageTarget): string[] {
  return [
    'extension/package.json',
    'extension/LICENSE.txt', // vsce stores LICENSE as LICENSE.txt
    'extension/dist/client.js',
    'extension/dist/server.js',
    'extension/node_modules/onnxruntime-node/dist/index.js',
    'extension/node_modules/onnxruntime-common/dist/cjs/index.js',
    // marks dist/cjs as CommonJS (the package itself says "type": "module"): without it the server cannot load onnxruntime
    'extension/node_modules/onnxruntime-common/dist/cjs/package.json',
    `extension/node_modules/onnxruntime-node/bin/napi-v*/${t.os}/${t.arch}/onnxruntime_binding.node`,
  ];
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
}

/** Why an entry is not allowed, in words a reader of the CI log acts on. */
function whyUnexpected(name: string, t: PackageTarget): string {
  const native = /\/bin\/napi-v\d+\/([^/]+)\/([^/]+)\//.exec(name);
  if (native && (native[1] !== t.os || native[2] !== t.arch)) return `native binary for ${native[1]}-${native[2]}, not ${t.vsce}`;
  if (/(^|\/)\.vscode-test(\/|$)/.test(name)) return 'code-server scratch (.vscode-test)';
  if (/\.map$/.test(name)) return 'source map';
  if (/\.(ts|tsx|mts|cts)$/.test(name) && !/\.d\.ts$/.test(name)) return 'source file';
  if (/(^|\/)(test|tests|__tests__)\//.test(name) || /\.test\.[cm]?js$/.test(name)) return 'test code';
  if (/^extension\/node_modules\//.test(name)) return 'dependency file not on the allow-list';
  return 'not on the allow-list';
}

export interface VsixCheck {
  unexpected: { name: string; why: string }[];
  missing: string[];
}

export function checkVsixEntries(entries: readonly ZipEntry[], t: PackageTarget): VsixCheck {
  const allowed = allowedPatterns(t);
  const unexpected = entries.filter((e) => !allowed.some((re) => re.test(e.name))).map((e) => ({ name: e.name, why: whyUnexpected(e.name, t) }));
  const names = entries.map((e) => e.name);
  const missing = requiredEntries(t).filter((r) => !names.some((n) => wildcard(r).test(n)));
  return { unexpected, missing };
}

export function formatCheck(check: VsixCheck, limit = 40): string {
  const lines: string[] = [];
  for (const u of check.unexpected.slice(0, limit)) lines.push(`  unexpected: ${u.name} (${u.why})`);
  if (check.unexpected.length > limit) lines.push(`  ... and ${check.unexpected.length - limit} more unexpected entries`);
  for (const m of check.missing) lines.push(`  missing: ${m}`);
  return lines.join('\n');
}

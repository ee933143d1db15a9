// `npm run package [-- --target linux-x64 --target win32-x64 | --target all] [--out DIR] [--no-build]`
// One .vsix per platform: production bundles, the allow-listed files of .vscodeignore, and only that
// platform's onnxruntime binaries. Each package is then opened and checked entry by entry.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TARGET, TARGETS, findTarget, nativeAllowLine, type PackageTarget } from './packaging/targets';
import { checkVsixEntries, formatCheck } from './packaging/vsixContents';
import { listZip } from './packaging/zipListing';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Options {
  targets: PackageTarget[];
  out: string;
  build: boolean;
}

function parseArgs(argv: string[]): Options {
  const names: string[] = [];
  let out = root;
  let build = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--target') names.push(...value().split(','));
    else if (a.startsWith('--target=')) names.push(...a.slice('--target='.length).split(','));
    else if (a === '--out') out = path.resolve(value());
    else if (a === '--no-build') build = false;
    else throw new Error(`unknown argument ${a} (usage: npm run package -- [--target NAME|all]... [--out DIR] [--no-build])`);
  }
  const targets = names.includes('all') ? [...TARGETS] : (names.length ? names : [DEFAULT_TARGET]).map(findTarget);
  return { targets, out, build };
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status})`);
}

export function vsixName(version: string, target: string): string {
  return `refusal-lens-${version}-${target}.vsix`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The README's relative links and images (DEVELOPERS.md, docs/screenshots/) point into the
 * repository; vsce rewrites them only for GitHub/GitLab URLs unless given the bases.
 */
function readmeBase(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { repository?: { url?: string } | string };
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!url || /github\.com|gitlab\.com/.test(url)) return [];
  const base = url.replace(/^git\+/, '').replace(/\.git$/, '');
  return ['--baseContentUrl', `${base}/blob/HEAD`, '--baseImagesUrl', `${base}/raw/HEAD`];
}

function packageTarget(t: PackageTarget, version: string, out: string): string {
  // vsce reads one ignore file: the committed allow-list plus this target's native binaries.
  const scratch = path.join(root, 'out', 'package');
  fs.mkdirSync(scratch, { recursive: true });
  const ignoreFile = path.join(scratch, `vscodeignore-${t.vsce}`);
  const base = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
  fs.writeFileSync(ignoreFile, `${base.trimEnd()}\n# added by scripts/package.ts for ${t.vsce}\n${nativeAllowLine(t)}\n`);
  const vsix = path.join(out, vsixName(version, t.vsce));
  fs.mkdirSync(out, { recursive: true });
  fs.rmSync(vsix, { force: true });
  run(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--target', t.vsce, '--ignoreFile', ignoreFile, '--out', vsix, ...readmeBase()]);

  const entries = listZip(vsix);
  const check = checkVsixEntries(entries, t);
  if (check.unexpected.length || check.missing.length) {
    throw new Error(`${path.relative(root, vsix)} is not what we ship:\n${formatCheck(check)}`);
  }
  const unpacked = entries.reduce((s, e) => s + e.size, 0);
  const largest = [...entries].sort((a, b) => b.size - a.size).slice(0, 5);
  console.log(`${path.relative(root, vsix) || vsix}: ${mb(fs.statSync(vsix).size)} (${entries.length} files, ${mb(unpacked)} unpacked); contents checked`);
  for (const e of largest) console.log(`  ${mb(e.size).padStart(9)}  ${e.name}`);
  return vsix;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
  if (options.build) run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production']);
  for (const t of options.targets) packageTarget(t, version, options.out);
}

try {
  main();
} catch (e) {
  console.error(`package: ${(e as Error).message}`);
  process.exit(1);
}

/**
 * The platforms we package for: a VS Code target (`vsce package --target`) and the folder of
 * onnxruntime-node's prebuilt binaries it needs. onnxruntime-node ships every platform's binaries
 * (~288 MB); each .vsix carries only its own (linux-x64: 45 MB).
 */
export interface PackageTarget {
  /** The `vsce --target` name. */
  vsce: string;
  /** `process.platform` / `process.arch` on that target: onnxruntime-node loads bin/napi-v*\/<os>/<arch>/. */
  os: 'linux' | 'darwin' | 'win32';
  arch: 'x64' | 'arm64';
}

/** Targets onnxruntime-node 1.30 has binaries for (no darwin-x64, alpine or armhf builds). */
export const TARGETS: readonly PackageTarget[] = [
  { vsce: 'linux-x64', os: 'linux', arch: 'x64' },
  { vsce: 'linux-arm64', os: 'linux', arch: 'arm64' },
  { vsce: 'darwin-arm64', os: 'darwin', arch: 'arm64' },
  { vsce: 'win32-x64', os: 'win32', arch: 'x64' },
  { vsce: 'win32-arm64', os: 'win32', arch: 'arm64' },
];

export const DEFAULT_TARGET = 'linux-x64';

export function findTarget(name: string): PackageTarget {
  const t = TARGETS.find((x) => x.vsce === name);
  if (!t) throw new Error(`unknown target "${name}": one of ${TARGETS.map((x) => x.vsce).join(', ')}`);
  return t;
}

/** The .vscodeignore line that lets the target's onnxruntime binaries into the package. */
export function nativeAllowLine(t: PackageTarget): string {
  return `!node_modules/onnxruntime-node/bin/napi-v*/${t.os}/${t.arch}/**`;
}

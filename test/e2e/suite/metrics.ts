import * as fs from 'node:fs';

/** Prints a measurement the harness collects (scripts/e2e/metrics.mjs reads `metric: name = value unit`). */
export function metric(name: string, value: number, unit: string): void {
  console.log(`      metric: ${name} = ${value.toFixed(unit === 'ms' ? 0 : 1)} ${unit}`);
}

/**
 * Resident memory of this extension host's language server, read from /proc (Linux only; null
 * elsewhere). vscode-languageclient starts it with --clientProcessId=<this process>.
 */
export function serverRssMb(): number | null {
  if (process.platform !== 'linux') return null;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone, or not ours to read
    }
    if (!/dist[\\/]server\.js/.test(cmdline) || !cmdline.includes(`--clientProcessId=${process.pid}`)) continue;
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) / 1024 : null;
  }
  return null;
}

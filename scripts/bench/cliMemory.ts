import { spawn } from 'node:child_process';

/**
 * Peak RSS of the bundled CLI (`dist/cli.js`, as users run it) scanning a file, in a process of
 * its own: what one precision costs in memory, without the benchmark's own baggage (tsx compiling
 * the sources, every side's libraries), which is the same for both precisions and would hide
 * their difference.
 */
export function cliPeakRss(cliFile: string, args: readonly string[]): Promise<{ peakRssMb: number; seconds: number; stderr: string }> {
  const wrapper = `
    const t0 = performance.now();
    require(${JSON.stringify(cliFile)}).main(${JSON.stringify(args)}, { stdout: process.stdout, stderr: process.stderr }).then((code) => {
      // VmHWM, as scripts/peakRss.ts reads it (maxrss would count the bench's own memory, inherited across exec)
      const hwm = /^VmHWM:\\s+(\\d+) kB$/m.exec(require('fs').readFileSync('/proc/self/status', 'utf8'));
      const peakRssMb = hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
      process.stdout.write('\\n' + JSON.stringify({ code, peakRssMb, seconds: (performance.now() - t0) / 1000 }) + '\\n');
      process.exit(0);
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', wrapper], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(last) as { code: number; peakRssMb: number; seconds: number };
        if (r.code !== 0) return reject(new Error(`refusal-lens ${args.join(' ')} exited ${r.code}: ${err}`));
        resolve({ peakRssMb: r.peakRssMb, seconds: r.seconds, stderr: err });
      } catch {
        reject(new Error(`refusal-lens ${args.join(' ')} failed: ${err || out}`));
      }
    });
  });
}

import * as fs from 'node:fs';

/**
 * This process's peak resident memory in MB. On Linux it is read from /proc/self/status (VmHWM):
 * getrusage's maxrss, which process.resourceUsage() reports, survives exec, so a child spawned by a
 * parent holding 1 GB reports at least 1 GB whatever it does itself.
 */
export function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

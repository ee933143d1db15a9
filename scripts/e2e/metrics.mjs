// Measurements printed by the suites (`metric: name = value unit`) and by the harness, summarised at
// the end of a run and written to .vscode-test/metrics.json. Figures, not pass/fail criteria.
import * as fs from 'node:fs';

const LINE = /metric:\s*([\w.-]+)\s*=\s*([\d.]+)\s*(\S*)/;

export function createMetrics() {
  const values = new Map();
  const record = (name, value, unit = '') => values.set(name, { value: Number(value), unit });
  return {
    record,
    /** Picks a `metric:` line out of a suite's output. */
    scan(line) {
      const m = LINE.exec(line);
      if (m) record(m[1], m[2], m[3]);
    },
    print(out) {
      if (values.size === 0) return;
      out('\n=== e2e: measurements');
      for (const [name, { value, unit }] of values) out(`  ${name}: ${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`);
    },
    write(file) {
      fs.writeFileSync(file, `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`);
    },
  };
}

import { peakRssMb } from '../peakRss';
import { PipelineSide, RawSessionSide, ScanSide, readConfig, type Side } from './sides';

/**
 * One side of the benchmark in its own process (its peak RSS is its own), driven by the parent
 * over IPC so that the sides take turns on the same slices: noise from other work on the machine
 * lands on every side alike.
 */

type Command = { cmd: 'load' } | { cmd: 'run'; slice: number } | { cmd: 'rescan' } | { cmd: 'finish' };

const [sideName, configFile] = process.argv.slice(2);
const config = readConfig(configFile);
const precision = sideName.endsWith('-int8') ? 'int8' : 'fp32';
const kind = sideName.replace(/-int8$/, '');
const side: Side = kind === 'scan' ? new ScanSide(config, precision) : kind === 'raw' ? new RawSessionSide(config, precision) : new PipelineSide(config);
const reply = (m: object) => process.send!(m);

process.on('message', async (m: Command) => {
  try {
    const t0 = performance.now();
    if (m.cmd === 'load') {
      reply({ seconds: await side.load() });
    } else if (m.cmd === 'run') {
      const cpu0 = process.cpuUsage();
      const scores = await side.run(m.slice);
      const cpu = process.cpuUsage(cpu0);
      // CPU time of every thread of the process: less sensitive than wall time to others' load.
      reply({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, scores });
    } else if (m.cmd === 'rescan') {
      const scan = side as ScanSide;
      const before = scan.inferred;
      const scores = await scan.scan(config.rescanFile);
      reply({ seconds: (performance.now() - t0) / 1000, responses: scores.length, inferred: scan.inferred - before });
    } else {
      reply({ peakRssMb: peakRssMb() });
      process.exit(0);
    }
  } catch (e) {
    reply({ error: (e as Error).stack ?? String(e) });
  }
});

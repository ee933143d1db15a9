import { peakRssMb } from '../../scripts/peakRss';
import { quantizeModel } from '../../server/src/modelStore/quantize/quantizeModel';

/** `node --import tsx quantizeChild.ts SRC DST`: quantizes in a process of its own and prints its peak RSS (for the memory test). */
const [source, target] = process.argv.slice(2);
quantizeModel(source, target).then((r) => {
  process.stdout.write(JSON.stringify({ bytes: r.bytes, counts: r.counts, peakRssMb: peakRssMb() }));
});

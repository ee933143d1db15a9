import type { PrecisionStep } from '../classify/model/int8Model';
import { describeVerification } from '../classify/model/int8Model';
import { formatBytes } from './downloadProgress';

/**
 * The one-time int8 preparation on stderr (hashing the source, quantizing, checking against
 * fp32): on a terminal the quantization percentage is redrawn in place; otherwise one line per
 * step and per 25%. Nothing is printed when the int8 model is simply reused.
 */
export function int8ProgressPrinter(stream: NodeJS.WritableStream): (s: PrecisionStep) => void {
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  let lastQuarter = -1;
  let lastDraw = 0;
  let drawn = false;
  const line = (text: string) => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
    stream.write(`${text}\n`);
  };
  return (s) => {
    switch (s.step) {
      case 'hashing':
        return line('refusal-lens: preparing the int8 model (once per model file): reading the fp32 model');
      case 'quantizing': {
        const { done, total } = s.progress;
        const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
        if (tty) {
          if (Date.now() - lastDraw < 100 && done < total) return;
          lastDraw = Date.now();
          stream.write(`\r\x1b[Kquantizing to int8: ${pct}% (${formatBytes(done)} of ${formatBytes(total)})`);
          drawn = true;
        } else if (Math.floor(pct / 25) > lastQuarter) {
          lastQuarter = Math.floor(pct / 25);
          stream.write(`quantizing to int8: ${pct}%\n`);
        }
        return;
      }
      case 'quantized':
        return line(`quantized: ${formatBytes(s.result.bytes)} (from ${formatBytes(s.result.sourceBytes)}) in ${s.result.seconds.toFixed(1)} s`);
      case 'verifying':
        return line(`checking the int8 model against fp32 on ${s.texts} texts`);
      case 'verified':
        return line(`int8 ${describeVerification(s.verification)}`);
      case 'reused':
        return;
    }
  };
}

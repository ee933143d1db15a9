/** A small seeded generator (mulberry32) and normal samples from it: same seed, same weights. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Fills `out` with normal samples of mean `mean` and standard deviation `std` (Box-Muller). */
  fillNormal(out: Float32Array, mean: number, std: number): Float32Array {
    for (let i = 0; i < out.length; i += 2) {
      const u = 1 - this.next();
      const r = Math.sqrt(-2 * Math.log(u)) * std;
      const a = 2 * Math.PI * this.next();
      out[i] = mean + r * Math.cos(a);
      if (i + 1 < out.length) out[i + 1] = mean + r * Math.sin(a);
    }
    return out;
  }
}

import type { ParseErrorRecord } from '../formats/records';
import type { Verdict } from '../verdicts/verdict';

export interface RateCount {
  responses: number;
  refusals: number;
  overRefusals: number;
  rate: number;
}

export interface ScanSummary extends RateCount {
  files: number;
  errors: number;
  /** Per model/provider, for responses whose file names one. */
  byModel: Record<string, RateCount>;
}

export function rateOf(refusals: number, responses: number): number {
  return responses === 0 ? 0 : refusals / responses;
}

/** Running totals over a scan: fed verdicts in batches, never holding them. */
export class SummaryBuilder {
  private files = 0;
  private errors = 0;
  private total = { responses: 0, refusals: 0, overRefusals: 0 };
  private readonly models = new Map<string, { responses: number; refusals: number; overRefusals: number }>();

  addFile(): void {
    this.files++;
  }

  addErrors(errors: readonly ParseErrorRecord[]): void {
    this.errors += errors.length;
  }

  addVerdicts(verdicts: readonly Verdict[]): void {
    for (const v of verdicts) {
      const refused = v.label === 'refusal' ? 1 : 0;
      const over = v.overRefusal ? 1 : 0;
      this.total.responses++;
      this.total.refusals += refused;
      this.total.overRefusals += over;
      const model = v.response.model;
      if (model === null) continue;
      let m = this.models.get(model);
      if (!m) this.models.set(model, (m = { responses: 0, refusals: 0, overRefusals: 0 }));
      m.responses++;
      m.refusals += refused;
      m.overRefusals += over;
    }
  }

  build(): ScanSummary {
    const byModel: Record<string, RateCount> = {};
    for (const [name, m] of [...this.models].sort((a, b) => a[0].localeCompare(b[0]))) {
      byModel[name] = { ...m, rate: rateOf(m.refusals, m.responses) };
    }
    return { files: this.files, ...this.total, rate: rateOf(this.total.refusals, this.total.responses), errors: this.errors, byModel };
  }
}

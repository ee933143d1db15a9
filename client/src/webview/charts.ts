/**
 * The summary's pictures as inline SVG, built with createElementNS and textContent (names of
 * models and files are data: they only ever become text nodes or attribute values). Colours come
 * from the stylesheet's classes, which use the theme's chart colours.
 */
import type { Histogram, RateBar } from '../panel/rowSummary';
import { formatRate } from '../panel/rowSummary';

const SVG_NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(doc: Document, name: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = doc.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function text(doc: Document, content: string, attrs: Record<string, string | number>): SVGTextElement {
  const t = svg(doc, 'text', attrs);
  t.textContent = content;
  return t;
}

function tooltip(doc: Document, content: string): SVGTitleElement {
  const t = svg(doc, 'title');
  t.textContent = content;
  return t;
}

/** Shortens a label to `max` characters, keeping its start (models) or its end (file paths). */
export function shorten(label: string, max: number, keep: 'start' | 'end'): string {
  const chars = [...label];
  if (chars.length <= max) return label;
  return keep === 'start' ? `${chars.slice(0, max - 1).join('')}…` : `…${chars.slice(chars.length - max + 1).join('')}`;
}

export interface BarsOptions {
  /** data-testid of each bar's group, e.g. rate-bar-model. */
  testId: string;
  /** What the bars are per, for the accessible name: "model", "file". */
  per: string;
  keep: 'start' | 'end';
  limit: number;
}

const BAR = { width: 350, labelWidth: 120, barWidth: 120, rowHeight: 20, barHeight: 12 };

/** Horizontal bars of refusal rate (over-refusals overlaid), the first `limit` of `bars`. */
export function rateBarsChart(doc: Document, bars: readonly RateBar[], options: BarsOptions): SVGSVGElement {
  const shown = bars.slice(0, options.limit);
  const more = bars.length - shown.length;
  const height = Math.max(1, shown.length + (more > 0 ? 1 : 0)) * BAR.rowHeight + 4;
  const root = svg(doc, 'svg', { width: BAR.width, height, viewBox: `0 0 ${BAR.width} ${height}`, role: 'img', class: 'chart-svg' });
  const described = shown.map((b) => `${b.key} ${formatRate(b.refusals, b.total)}`).join('; ');
  root.setAttribute('aria-label', `Refusal rate per ${options.per}: ${described || 'no responses'}${more > 0 ? `; and ${more} more` : ''}`);
  if (shown.length === 0) {
    root.appendChild(text(doc, 'No responses', { x: 0, y: 14, class: 'chart-text muted' }));
    return root;
  }
  shown.forEach((b, i) => {
    const y = i * BAR.rowHeight + 2;
    const g = svg(doc, 'g', { 'data-testid': options.testId, 'data-key': b.key, 'data-refusals': b.refusals, 'data-total': b.total, class: 'bar' });
    const over = b.overRefusals > 0 ? `, ${b.overRefusals} over-refusal${b.overRefusals === 1 ? '' : 's'}` : '';
    g.appendChild(tooltip(doc, `${b.key}: ${formatRate(b.refusals, b.total)} refused${over}`));
    g.appendChild(text(doc, shorten(b.key, 19, options.keep), { x: 0, y: y + BAR.barHeight - 1, class: 'chart-text' }));
    const x = BAR.labelWidth;
    g.appendChild(svg(doc, 'rect', { x, y, width: BAR.barWidth, height: BAR.barHeight, class: 'bar-track' }));
    const fill = b.total === 0 ? 0 : (b.refusals / b.total) * BAR.barWidth;
    g.appendChild(svg(doc, 'rect', { x, y, width: fill.toFixed(1), height: BAR.barHeight, class: 'fill-refusal' }));
    if (b.overRefusals > 0) {
      const w = (b.overRefusals / b.total) * BAR.barWidth;
      g.appendChild(svg(doc, 'rect', { x, y: y + BAR.barHeight / 2, width: w.toFixed(1), height: BAR.barHeight / 2, class: 'fill-over' }));
    }
    g.appendChild(text(doc, formatRate(b.refusals, b.total), { x: x + BAR.barWidth + 6, y: y + BAR.barHeight - 1, class: 'chart-text' }));
    root.appendChild(g);
  });
  if (more > 0) {
    root.appendChild(text(doc, `and ${more} more`, { x: 0, y: shown.length * BAR.rowHeight + BAR.barHeight, class: 'chart-text muted' }));
  }
  return root;
}

const HIST = { width: 360, height: 170, left: 40, right: 10, top: 22, bottom: 26 };

/** Stacked score histogram (normal below, refusal above) with the threshold as a dashed line. */
export function histogramChart(doc: Document, h: Histogram): SVGSVGElement {
  const plotW = HIST.width - HIST.left - HIST.right;
  const plotH = HIST.height - HIST.top - HIST.bottom;
  const baseY = HIST.top + plotH;
  const binW = plotW / h.bins.length;
  const total = h.bins.reduce((n, b) => n + b.refusals + b.normal, 0);
  const root = svg(doc, 'svg', { width: HIST.width, height: HIST.height, viewBox: `0 0 ${HIST.width} ${HIST.height}`, role: 'img', class: 'chart-svg', 'data-testid': 'score-histogram' });
  root.setAttribute('aria-label', `Score histogram of ${total} responses in ${h.bins.length} bins; threshold ${h.threshold}`);

  // Legend.
  root.appendChild(svg(doc, 'rect', { x: HIST.left, y: 4, width: 10, height: 10, class: 'fill-refusal' }));
  root.appendChild(text(doc, 'refusal', { x: HIST.left + 14, y: 13, class: 'chart-text' }));
  root.appendChild(svg(doc, 'rect', { x: HIST.left + 70, y: 4, width: 10, height: 10, class: 'fill-normal' }));
  root.appendChild(text(doc, 'normal', { x: HIST.left + 84, y: 13, class: 'chart-text' }));

  h.bins.forEach((b, i) => {
    const x = HIST.left + i * binW;
    const g = svg(doc, 'g', { 'data-testid': 'histogram-bin', 'data-bin': i, 'data-refusals': b.refusals, 'data-normal': b.normal });
    g.appendChild(tooltip(doc, `${b.from.toFixed(2)}–${b.to.toFixed(2)}: ${b.refusals} refusal${b.refusals === 1 ? '' : 's'}, ${b.normal} normal`));
    const normalH = (b.normal / h.max) * plotH;
    const refusalH = (b.refusals / h.max) * plotH;
    // A transparent full-height target so even empty bins show their tooltip.
    g.appendChild(svg(doc, 'rect', { x: x.toFixed(1), y: HIST.top, width: binW.toFixed(1), height: plotH, class: 'hit' }));
    if (b.normal > 0) g.appendChild(svg(doc, 'rect', { x: (x + 1).toFixed(1), y: (baseY - normalH).toFixed(1), width: (binW - 2).toFixed(1), height: normalH.toFixed(1), class: 'fill-normal' }));
    if (b.refusals > 0) g.appendChild(svg(doc, 'rect', { x: (x + 1).toFixed(1), y: (baseY - normalH - refusalH).toFixed(1), width: (binW - 2).toFixed(1), height: refusalH.toFixed(1), class: 'fill-refusal' }));
    root.appendChild(g);
  });

  // Axes and ticks.
  root.appendChild(svg(doc, 'line', { x1: HIST.left, y1: baseY, x2: HIST.left + plotW, y2: baseY, class: 'axis' }));
  root.appendChild(svg(doc, 'line', { x1: HIST.left, y1: HIST.top, x2: HIST.left, y2: baseY, class: 'axis' }));
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    const x = HIST.left + v * plotW;
    root.appendChild(svg(doc, 'line', { x1: x, y1: baseY, x2: x, y2: baseY + 4, class: 'axis' }));
    root.appendChild(text(doc, String(v), { x, y: baseY + 16, class: 'chart-text', 'text-anchor': 'middle' }));
  }
  root.appendChild(text(doc, String(h.max), { x: HIST.left - 4, y: HIST.top + 8, class: 'chart-text', 'text-anchor': 'end' }));
  root.appendChild(text(doc, '0', { x: HIST.left - 4, y: baseY, class: 'chart-text', 'text-anchor': 'end' }));

  const tx = HIST.left + Math.min(1, Math.max(0, h.threshold)) * plotW;
  const line = svg(doc, 'line', { x1: tx.toFixed(1), y1: HIST.top - 4, x2: tx.toFixed(1), y2: baseY, class: 'threshold', 'data-testid': 'histogram-threshold', 'data-threshold': h.threshold });
  line.appendChild(tooltip(doc, `threshold ${h.threshold}`));
  root.appendChild(line);
  const nearRight = tx > HIST.left + plotW * 0.75;
  root.appendChild(text(doc, `threshold ${h.threshold}`, { x: (nearRight ? tx - 4 : tx + 4).toFixed(1), y: HIST.top + 4, class: 'chart-text muted', 'text-anchor': nearRight ? 'end' : 'start' }));
  return root;
}

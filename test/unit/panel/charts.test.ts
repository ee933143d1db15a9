import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RateBar } from '../../../client/src/panel/rowSummary';
import { scoreHistogram } from '../../../client/src/panel/rowSummary';
import { histogramChart, rateBarsChart, shorten } from '../../../client/src/webview/charts';
import { MiniDocument } from '../../helpers/miniDom';
import type { MiniElement } from '../../helpers/miniDom';
import { makeRow } from '../../helpers/resultRows';

const doc = (): never => new MiniDocument() as never;
const byTestId = (root: MiniElement, id: string): MiniElement[] => root.descendants().filter((e) => e.getAttribute('data-testid') === id);

const bar = (key: string, refusals: number, total: number, overRefusals = 0): RateBar => ({ key, refusals, total, overRefusals, rate: refusals / total });

test('rate bars: one group per key up to the limit, widths proportional to the rate, the rest counted', () => {
  const bars = [bar('a', 3, 4, 1), bar('b', 1, 2), bar('c', 0, 9), bar('d', 0, 1)];
  const svg = rateBarsChart(doc(), bars, { testId: 'rate-bar-model', per: 'model', keep: 'start', limit: 3 }) as unknown as MiniElement;
  const groups = byTestId(svg, 'rate-bar-model');
  assert.deepEqual(groups.map((g) => g.getAttribute('data-key')), ['a', 'b', 'c']);
  const widths = groups.map((g) => Number(g.children.find((c) => c.getAttribute('class') === 'fill-refusal')?.getAttribute('width')));
  const track = Number(groups[0].children.find((c) => c.getAttribute('class') === 'bar-track')?.getAttribute('width'));
  assert.deepEqual(widths, [0.75 * track, 0.5 * track, 0]);
  assert.equal(groups[0].children.filter((c) => c.getAttribute('class') === 'fill-over').length, 1, 'over-refusals overlaid');
  assert.ok(svg.descendants().some((e) => e.tagName === 'text' && e.textContent === 'and 1 more'));
  assert.match(svg.getAttribute('aria-label') ?? '', /^Refusal rate per model: a 75% \(3\/4\); b 50% \(1\/2\); c 0% \(0\/9\); and 1 more$/);
  assert.ok(groups[0].children.some((c) => c.tagName === 'title' && c.textContent === 'a: 75% (3/4) refused, 1 over-refusal'));
});

test('rate bars with no data say so', () => {
  const svg = rateBarsChart(doc(), [], { testId: 'rate-bar-file', per: 'file', keep: 'end', limit: 8 }) as unknown as MiniElement;
  assert.equal(byTestId(svg, 'rate-bar-file').length, 0);
  assert.ok(svg.descendants().some((e) => e.textContent === 'No responses'));
});

test('histogram: 20 bins with their counts, stacked bars, and the threshold line at its score', () => {
  const rows = [makeRow({ score: 0.02 }), makeRow({ score: 0.03 }), makeRow({ score: 0.98, label: 'refusal' })];
  const svg = histogramChart(doc(), scoreHistogram(rows, rows.keys(), 0.75)) as unknown as MiniElement;
  const bins = byTestId(svg, 'histogram-bin');
  assert.equal(bins.length, 20);
  assert.deepEqual([bins[0].getAttribute('data-normal'), bins[0].getAttribute('data-refusals')], ['2', '0']);
  assert.deepEqual([bins[19].getAttribute('data-normal'), bins[19].getAttribute('data-refusals')], ['0', '1']);
  const bin0 = bins[0].children.find((c) => c.getAttribute('class') === 'fill-normal')!;
  const bin19 = bins[19].children.find((c) => c.getAttribute('class') === 'fill-refusal')!;
  assert.equal(Number(bin0.getAttribute('height')), 2 * Number(bin19.getAttribute('height')), 'heights scale with counts');
  assert.equal(bins[5].children.filter((c) => c.getAttribute('class')?.startsWith('fill-')).length, 0, 'empty bins draw no bar');
  const [threshold] = byTestId(svg, 'histogram-threshold');
  assert.equal(threshold.getAttribute('data-threshold'), '0.75');
  const firstX = Number(bins[0].children[1].getAttribute('x'));
  const lastEnd = Number(bins[19].children[1].getAttribute('x')) + Number(bins[19].children[1].getAttribute('width'));
  const x = Number(threshold.getAttribute('x1'));
  assert.ok(Math.abs(x - (firstX + 0.75 * (lastEnd - firstX))) < 1, `threshold at ${x}`);
});

test('shorten keeps a model name\'s start and a path\'s end, by characters not UTF-16 units', () => {
  assert.equal(shorten('gpt-4o-mini-2024-07-18', 10, 'start'), 'gpt-4o-mi…');
  assert.equal(shorten('evals/very/long/path/run.jsonl', 12, 'end'), '…h/run.jsonl');
  assert.equal(shorten('short', 10, 'end'), 'short');
  assert.equal(shorten('😀😀😀😀😀😀', 4, 'start'), '😀😀😀…');
});

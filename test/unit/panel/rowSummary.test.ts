import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { binOf, formatRate, ratesBy, scoreHistogram, summarize } from '../../../client/src/panel/rowSummary';
import { modelOf } from '../../../client/src/panel/rowQuery';
import { makeRow, syntheticRows } from '../../helpers/resultRows';

test('binOf: 20 equal bins over [0, 1], 1 in the last, out-of-range clamped, NaN in none', () => {
  assert.equal(binOf(0), 0);
  assert.equal(binOf(0.0499), 0);
  assert.equal(binOf(0.05), 1);
  assert.equal(binOf(0.5), 10);
  assert.equal(binOf(0.9999), 19);
  assert.equal(binOf(1), 19);
  assert.equal(binOf(1.5), 19);
  assert.equal(binOf(-0.2), 0);
  assert.equal(binOf(Number.NaN), -1);
  assert.equal(binOf(0.5, 4), 2);
});

test('histogram counts refusals and normal responses per bin and keeps the threshold', () => {
  const rows = [
    makeRow({ score: 0.01, label: 'normal' }),
    makeRow({ score: 0.02, label: 'normal' }),
    makeRow({ score: 0.97, label: 'refusal' }),
    makeRow({ score: 1, label: 'refusal' }),
    makeRow({ score: 0.55, label: 'refusal' }),
    makeRow({ score: 0.55, label: 'normal' }),
    makeRow({ score: Number.NaN, label: 'normal' }),
  ];
  const h = scoreHistogram(rows, rows.keys(), 0.75);
  assert.equal(h.bins.length, 20);
  assert.equal(h.threshold, 0.75);
  assert.deepEqual([h.bins[0].normal, h.bins[0].refusals], [2, 0]);
  assert.deepEqual([h.bins[11].normal, h.bins[11].refusals], [1, 1]);
  assert.deepEqual([h.bins[19].normal, h.bins[19].refusals], [0, 2]);
  assert.equal(h.max, 2);
  assert.equal(h.bins.reduce((n, b) => n + b.normal + b.refusals, 0), 6, 'NaN scores are left out');
  assert.deepEqual([h.bins[3].from, h.bins[3].to], [0.15, 0.2]);
});

test('an empty histogram still has a y axis (max 1)', () => {
  assert.equal(scoreHistogram([], [], 0.5).max, 1);
});

test('rates per model: refusals / total, highest rate first, then most responses', () => {
  const rows = [
    makeRow({ model: 'a', label: 'refusal' }),
    makeRow({ model: 'a', label: 'normal' }),
    makeRow({ model: 'b', label: 'refusal', overRefusal: true }),
    makeRow({ model: null, label: 'normal' }),
    makeRow({ model: 'c', label: 'refusal' }),
    makeRow({ model: 'c', label: 'refusal' }),
  ];
  const bars = ratesBy(rows, rows.keys(), modelOf);
  assert.deepEqual(bars.map((b) => [b.key, b.refusals, b.total, b.overRefusals]), [
    ['c', 2, 2, 0],
    ['b', 1, 1, 1],
    ['a', 1, 2, 0],
    ['(unknown model)', 0, 1, 0],
  ]);
  assert.equal(bars[2].rate, 0.5);
});

test('summary over a subset: per-file rates and totals agree with the rows', () => {
  const rows = syntheticRows(1000);
  const indices = [...rows.keys()].filter((i) => i % 2 === 0);
  const s = summarize(rows, indices, 0.5);
  assert.equal(s.total, 500);
  assert.equal(s.refusals, indices.filter((i) => rows[i].label === 'refusal').length);
  assert.equal(s.overRefusals, indices.filter((i) => rows[i].overRefusal).length);
  assert.equal(s.byFile.reduce((n, b) => n + b.total, 0), 500);
  assert.equal(s.byModel.reduce((n, b) => n + b.refusals, 0), s.refusals);
  assert.equal(s.histogram.bins.reduce((n, b) => n + b.refusals, 0), s.refusals);
});

test('formatRate reads like the status bar', () => {
  assert.equal(formatRate(5, 40), '12.5% (5/40)');
  assert.equal(formatRate(1, 2), '50% (1/2)');
  assert.equal(formatRate(0, 0), '0% (0/0)');
  assert.equal(formatRate(1, 3), '33.3% (1/3)');
});
